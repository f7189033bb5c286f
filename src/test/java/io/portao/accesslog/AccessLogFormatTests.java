package io.portao.accesslog;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** The line's fields as nginx writes them: seconds, escaping, {@code -} for absent values, the date format. */
class AccessLogFormatTests {

	final AccessLogFormat format = new AccessLogFormat(ZoneOffset.ofHours(-3));

	@Test
	void writesSecondsWithMillisecondPrecision() {
		assertThat(seconds(0)).isEqualTo("0.000");
		assertThat(seconds(7_400_000)).isEqualTo("0.007");
		assertThat(seconds(1_234_999_999)).isEqualTo("1.234");
		assertThat(seconds(61_050_000_000L)).isEqualTo("61.050");
	}

	@Test
	void formatsTimeLocalLikeNginxAndCachesItPerSecond() {
		String first = this.format.timeLocal(1_764_095_096_100L);
		assertThat(first).isEqualTo("25/Nov/2025:15:24:56 -0300");
		assertThat(this.format.timeLocal(1_764_095_096_900L)).isSameAs(first);
		assertThat(this.format.timeLocal(1_764_095_097_000L)).isEqualTo("25/Nov/2025:15:24:57 -0300");
	}

	@Test
	void escapesQuotesBackslashesAndControlBytesAndDashesAbsentValues() throws Exception {
		MockServerHttpRequest request = MockServerHttpRequest.get("/a b?x=\"1\"")
			.header("User-Agent", "a\"b\\c\u0001")
			.header("X-Forwarded-For", "203.0.113.7")
			.remoteAddress(new InetSocketAddress(InetAddress.getByName("::1"), 5000))
			.build();
		AccessLogEntry entry = new AccessLogEntry();
		entry.bodyBytes = 12;
		String line = this.format.format(LoggedRequest.of(request), 404,
				AccessLogFormat.remoteAddress(request.getRemoteAddress()), entry, 1_764_095_096_100L,
				entry.startNanos + 2_000_000).toString();
		assertThat(line).isEqualTo("::1 - - [25/Nov/2025:15:24:56 -0300] \"GET /a%20b?x=%221%22 HTTP/1.1\" "
				+ "404 12 \"-\" \"a\\x22b\\x5Cc\\x01\" \"203.0.113.7\" - - - 0.002");
	}

	@Test
	void listsEveryAttemptSeparatedLikeNginx() {
		AccessLogEntry entry = new AccessLogEntry();
		int first = entry.attemptStarted("10.0.0.1:8080");
		entry.attemptFailed(first, 502);
		int second = entry.attemptStarted("10.0.0.2:8080");
		entry.attemptResponded(second, 200);
		entry.ended(System.nanoTime());
		String line = this.format.format(LoggedRequest.of(MockServerHttpRequest.get("/").build()), 200, "127.0.0.1",
				entry, 0, System.nanoTime()).toString();
		assertThat(line).containsPattern(" 10\\.0\\.0\\.1:8080, 10\\.0\\.0\\.2:8080 502, 200 \\d+\\.\\d{3}, \\d+\\.\\d{3} \\d+\\.\\d{3}$");
	}

	private static String seconds(long nanos) {
		AsciiLine line = new AsciiLine(8);
		AccessLogFormat.appendSeconds(line, nanos);
		return line.toString();
	}

}
