package io.portao.limits;

import java.util.List;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The request framing rules Netty's decoder leaves to the application (it already refuses
 * {@code Content-Length} with {@code Transfer-Encoding}, differing or repeated {@code Content-Length}, bad chunk
 * sizes and bare LF, invalid header names and values). What it lets through, a proxy must not: a message framed
 * one way by the gateway and another way by the instance is request smuggling.
 * <ul>
 * <li>{@code Transfer-Encoding} on HTTP/1.0 ({@code 400}, RFC 9112 §6.1), or sent in more than one field line
 * ({@code 400}, nginx: "duplicate header line").</li>
 * <li>Any {@code Transfer-Encoding} but exactly {@code chunked} ({@code 501}, nginx: "unknown transfer
 * encoding"): {@code chunked, chunked}, {@code gzip, chunked} and {@code gzip} would otherwise be read as a
 * body-less request whose body bytes become the next request (TE.TE obfuscation).</li>
 * <li>No {@code Host}, or more than one ({@code 400}, RFC 9112 §3.2). HTTP/1.0 may omit it, but the gateway
 * routes and forwards by it: without one Spring Cloud Gateway answered {@code 500} (found by
 * {@code RequestFramingFuzzIntegrationTests}); every HTTP/1.0 client in use sends it.</li>
 * </ul>
 */
final class FramingRules {

	private FramingRules() {
	}

	/** The status to refuse {@code request} with, or {@code null} if its framing is unambiguous. */
	static HttpResponseStatus refusal(HttpRequest request) {
		List<String> encodings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
		if (!encodings.isEmpty()) {
			if (encodings.size() > 1 || request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
				return HttpResponseStatus.BAD_REQUEST;
			}
			if (!"chunked".equalsIgnoreCase(encodings.get(0).trim())) {
				return HttpResponseStatus.NOT_IMPLEMENTED;
			}
		}
		if (request.headers().getAll(HttpHeaderNames.HOST).size() != 1) {
			return HttpResponseStatus.BAD_REQUEST;
		}
		return null;
	}

}
