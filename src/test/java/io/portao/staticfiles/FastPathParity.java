package io.portao.staticfiles;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.portao.support.RawHttpClient;
import io.portao.support.RawHttpClient.RawResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plain GET is answered by {@link PlainFileResponder}; the same GET made conditional (by a date the file is newer
 * than, so still a full 200) goes through Spring's handler: both must send the same status line, headers and body.
 */
final class FastPathParity {

	private FastPathParity() {
	}

	static void assertSameAsSpringsHandler(int port, String path) throws IOException {
		RawResponse plain = RawHttpClient.send(port,
				"GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", Duration.ofSeconds(10));
		RawResponse spring = RawHttpClient.send(port, "GET " + path
				+ " HTTP/1.1\r\nHost: localhost\r\nIf-Modified-Since: Thu, 01 Jan 2015 00:00:00 GMT\r\n"
				+ "Connection: close\r\n\r\n", Duration.ofSeconds(10));
		assertThat(plain.status()).isEqualTo(200);
		// The order of fields with different names carries no meaning (RFC 9110 section 5.3).
		assertThat(headerLines(plain)).containsExactlyInAnyOrderElementsOf(headerLines(spring));
		assertThat(plain.body()).isEqualTo(spring.body());
	}

	/** The header lines of the response, without {@code Date} (which may tick between the two). */
	static List<String> headerLines(RawResponse response) {
		String raw = response.raw();
		String head = raw.substring(0, raw.indexOf("\r\n\r\n"));
		return Stream.of(head.split("\r\n")).filter(line -> !line.regionMatches(true, 0, "date:", 0, 5)).toList();
	}

}
