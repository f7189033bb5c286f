package io.portao.accesslog;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * What an access log line reads from a request, the same from Spring's request (the web stack) and from Reactor
 * Netty's (a lane): the request line's parts and the four request headers the line shows.
 *
 * @param rawPath the path as sent, still percent-encoded
 * @param rawQuery the query as sent, without its {@code ?}; {@code null} without one, empty for a bare {@code ?}
 * @param protocol {@code HTTP/1.1} or {@code HTTP/2.0}
 */
record LoggedRequest(String method, String rawPath, @Nullable String rawQuery, String protocol,
		@Nullable String authorization, @Nullable String referer, @Nullable String userAgent,
		@Nullable String forwardedFor) {

	static final String X_FORWARDED_FOR = "X-Forwarded-For";

	/** From Spring's request: the path and query of its parsed URI. */
	static LoggedRequest of(ServerHttpRequest request) {
		org.springframework.http.HttpHeaders headers = request.getHeaders();
		return new LoggedRequest(request.getMethod().name(), request.getURI().getRawPath(),
				request.getURI().getRawQuery(), protocol(request),
				headers.getFirst(org.springframework.http.HttpHeaders.AUTHORIZATION),
				headers.getFirst(org.springframework.http.HttpHeaders.REFERER),
				headers.getFirst(org.springframework.http.HttpHeaders.USER_AGENT), headers.getFirst(X_FORWARDED_FOR));
	}

	/**
	 * From Reactor Netty's request, without a URI parse: the raw target split at its first {@code ?}, which gives
	 * what Spring's parsed URI gives for an origin-form target (the only form a lane takes).
	 */
	static LoggedRequest of(HttpServerRequest request) {
		return of(request.method().name(), request.uri(), request.version().text(), request.requestHeaders());
	}

	/** From Netty's request, for a lane below Reactor Netty's HTTP layer: as from Reactor Netty's. */
	static LoggedRequest of(HttpRequest request) {
		return of(request.method().name(), request.uri(), request.protocolVersion().text(), request.headers());
	}

	private static LoggedRequest of(String method, String target, String protocol, HttpHeaders headers) {
		int query = target.indexOf('?');
		return new LoggedRequest(method, (query < 0) ? target : target.substring(0, query),
				(query < 0) ? null : target.substring(query + 1), protocol, headers.get(HttpHeaderNames.AUTHORIZATION),
				headers.get(HttpHeaderNames.REFERER), headers.get(HttpHeaderNames.USER_AGENT),
				headers.get(X_FORWARDED_FOR));
	}

	/** {@code HTTP/1.1} or {@code HTTP/2.0}, from Reactor Netty's request (Spring's API does not carry it). */
	private static String protocol(ServerHttpRequest request) {
		try {
			Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
			if (nativeRequest instanceof HttpServerRequest netty) {
				return netty.version().text();
			}
		}
		catch (IllegalStateException ex) {
			// Not served by a running server (a mock request): nothing to read the version from.
		}
		return "HTTP/1.1";
	}

}
