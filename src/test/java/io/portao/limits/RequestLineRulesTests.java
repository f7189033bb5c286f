package io.portao.limits;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RequestLineRules} on what Netty's own decoder makes of each request line: the rules rely on how it parses
 * versions (its constants only for the exact upper-case bytes), so the lines are decoded, not built.
 */
class RequestLineRulesTests {

	/** The line decoded by Netty's HTTP/1.1 request decoder, with a valid Host. */
	private static HttpRequest decoded(String line) {
		EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestDecoder());
		try {
			channel.writeInbound(Unpooled.copiedBuffer(line + "\r\nHost: h\r\n\r\n", StandardCharsets.ISO_8859_1));
			HttpRequest request = channel.readInbound();
			assertThat(request.decoderResult().isSuccess()).as("decoded by Netty: " + line).isTrue();
			return request;
		}
		finally {
			channel.finishAndReleaseAll();
		}
	}

	private static HttpResponseStatus refusal(String line) {
		return RequestLineRules.refusal(decoded(line));
	}

	@ParameterizedTest
	@ValueSource(strings = { "GET / HTTP/1.1", "GET / HTTP/1.0", "POST /a?b=c HTTP/1.1", "FOO_BAR /e HTTP/1.1",
			"VERSION-CONTROL /e HTTP/1.1", "OPTIONS /e HTTP/1.1", "GET http://h/abs HTTP/1.1",
			"GET HTTP://H.EXAMPLE:8080/abs?q HTTP/1.1", "GET h+t.t-p://h/e HTTP/1.1", "GET http://h HTTP/1.1",
			"GET http://h?x HTTP/1.1", "GET http://h:/e HTTP/1.1", "GET http://[::1]:80/e HTTP/1.1",
			"GET http://1.2.3.4/e HTTP/1.1", "TRACE /e HTTP/1.1", "CONNECT / HTTP/1.1" })
	void readsWhatNginxReads(String line) {
		assertThat(refusal(line)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "GET /e HTTP/9.9", "GET /e HTTP/2.0", "GET /e HTTP/3.0", "GET /e HTTP/1.2",
			"GET /e HTTP/1.9", "GET /e http/9.9" })
	void answers505ToAnotherVersion(String line) {
		assertThat(refusal(line)).isEqualTo(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED);
	}

	@ParameterizedTest
	@ValueSource(strings = { "GET /e http/1.1", "GET /e Http/1.1", "GET /e hTTP/1.0",
			"GET /e HTTP/0.9", "GET /e HTTP/0.1" })
	void refusesALowerCaseNameOrVersionZero(String line) {
		assertThat(refusal(line)).isEqualTo(HttpResponseStatus.BAD_REQUEST);
	}

	@ParameterizedTest
	@ValueSource(strings = { "get /e HTTP/1.1", "Get /e HTTP/1.1", "FOO1 /e HTTP/1.1", "G.T /e HTTP/1.1",
			"G!T /e HTTP/1.1", "G~T /e HTTP/1.1" })
	void refusesAMethodNginxDoesNotRead(String line) {
		assertThat(refusal(line)).isEqualTo(HttpResponseStatus.BAD_REQUEST);
	}

	@ParameterizedTest
	@ValueSource(strings = { "OPTIONS * HTTP/1.1", "GET * HTTP/1.1", "CONNECT h:443 HTTP/1.1", "GET h:80 HTTP/1.1",
			"GET h/abs HTTP/1.1", "GET abs HTTP/1.1", "GET ?q HTTP/1.1", "GET http:/abs HTTP/1.1",
			"GET http:///e HTTP/1.1", "GET http://:80/e HTTP/1.1", "GET http://u@h/abs HTTP/1.1",
			"GET http://h:x/abs HTTP/1.1", "GET http://h:80:81/abs HTTP/1.1", "GET http://[::1/abs HTTP/1.1",
			"GET http://a..b/e HTTP/1.1", "GET http://a_b/e HTTP/1.1", "GET http://%68/e HTTP/1.1",
			"GET http://h#f/e HTTP/1.1", "GET http://h:8%30/e HTTP/1.1", "GET 1ttp://h/e HTTP/1.1",
			"GET ht_tp://h/e HTTP/1.1" })
	void refusesATargetInNeitherOriginNorAbsoluteForm(String line) {
		assertThat(refusal(line)).isEqualTo(HttpResponseStatus.BAD_REQUEST);
	}

	@Test
	void readsTheTargetBeforeTheVersionAsNginx() {
		assertThat(refusal("PRI * HTTP/2.0")).isEqualTo(HttpResponseStatus.BAD_REQUEST);
		assertThat(refusal("get /e HTTP/9.9")).isEqualTo(HttpResponseStatus.BAD_REQUEST);
	}

	@Test
	void traceAndConnectAreNotAllowed() {
		assertThat(RequestLineRules.notAllowed(decoded("TRACE /e HTTP/1.1").method())).isTrue();
		assertThat(RequestLineRules.notAllowed(decoded("CONNECT / HTTP/1.1").method())).isTrue();
		assertThat(RequestLineRules.notAllowed(HttpMethod.OPTIONS)).isFalse();
		assertThat(RequestLineRules.notAllowed(decoded("TRACK /e HTTP/1.1").method())).isFalse();
	}

}
