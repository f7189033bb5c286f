package io.portao.accesslog;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The line's bytes: numbers in decimal, growth past the first capacity, one byte per character. */
class AsciiLineTests {

	@Test
	void writesNumbersInDecimal() {
		AsciiLine line = new AsciiLine(4).append(0).append(' ').append(7).append(' ').append(Long.MAX_VALUE).append(' ')
			.append(-42);

		assertThat(line).hasToString("0 7 9223372036854775807 -42");
		assertThat(line.length()).isEqualTo(27);
	}

	@Test
	void growsAndCopiesWhatItHolds() {
		AsciiLine line = new AsciiLine(2).append("GET /static/app.css").append(new byte[] { ' ', '-' });
		byte[] target = new byte[line.length() + 2];

		line.copyTo(target, 1);

		assertThat(new String(target, 1, line.length(), java.nio.charset.StandardCharsets.US_ASCII))
			.isEqualTo("GET /static/app.css -");
	}

	@Test
	void aCharacterBeyondAsciiIsAQuestionMarkNotABrokenByte() {
		assertThat(new AsciiLine(8).append("caf\u00e9").append('\u20ac')).hasToString("caf??");
	}

}
