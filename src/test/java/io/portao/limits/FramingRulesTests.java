package io.portao.limits;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FramingRulesTests {

	private static HttpRequest request(HttpVersion version, String... headers) {
		HttpRequest request = new DefaultHttpRequest(version, HttpMethod.POST, "/");
		for (int i = 0; i < headers.length; i += 2) {
			request.headers().add(headers[i], headers[i + 1]);
		}
		return request;
	}

	@Test
	void chunkedAloneIsTheOnlyTransferEncoding() {
		assertThat(FramingRules.refusal(request(HttpVersion.HTTP_1_1, "Host", "h", "Transfer-Encoding", "chunked"))).isNull();
		assertThat(FramingRules.refusal(request(HttpVersion.HTTP_1_1, "Host", "h", "Transfer-Encoding", "Chunked")))
			.isNull();
		assertThat(FramingRules.refusal(request(HttpVersion.HTTP_1_1, "Host", "h", "Transfer-Encoding", "gzip, chunked")))
			.isEqualTo(HttpResponseStatus.NOT_IMPLEMENTED);
		assertThat(FramingRules.refusal(request(HttpVersion.HTTP_1_1, "Host", "h", "Transfer-Encoding", "chunked",
				"Transfer-Encoding", "chunked")))
			.isEqualTo(HttpResponseStatus.BAD_REQUEST);
		assertThat(FramingRules.refusal(request(HttpVersion.HTTP_1_0, "Host", "h", "Transfer-Encoding", "chunked")))
			.isEqualTo(HttpResponseStatus.BAD_REQUEST);
	}

	@Test
	void exactlyOneHost() {
		assertThat(FramingRules.refusal(request(HttpVersion.HTTP_1_1))).isEqualTo(HttpResponseStatus.BAD_REQUEST);
		assertThat(FramingRules.refusal(request(HttpVersion.HTTP_1_0))).isEqualTo(HttpResponseStatus.BAD_REQUEST);
		assertThat(FramingRules.refusal(request(HttpVersion.HTTP_1_1, "Host", "a", "Host", "b")))
			.isEqualTo(HttpResponseStatus.BAD_REQUEST);
		assertThat(FramingRules.refusal(request(HttpVersion.HTTP_1_0, "Host", "a"))).isNull();
	}

}
