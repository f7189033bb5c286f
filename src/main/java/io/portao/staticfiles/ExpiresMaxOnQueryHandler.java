package io.portao.staticfiles;

import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;

/**
 * nginx's {@code if ($query_string) { expires max; }} around the static handler: a URL with a non-empty query
 * string (a cache-busting version such as {@code app.js?v=42}) may be cached for good.
 *
 * <p>{@code expires max} sets {@code Expires: Thu, 31 Dec 2037 23:55:55 GMT} and {@code Cache-Control:
 * max-age=315360000} (ngx_http_headers_module), replacing any {@code Cache-Control}, on the statuses nginx lists
 * for {@code expires}. A bare {@code ?} is an empty {@code $query_string}, so it gets neither header.
 */
final class ExpiresMaxOnQueryHandler implements WebHandler {

	static final String EXPIRES_MAX = "Thu, 31 Dec 2037 23:55:55 GMT";

	static final String CACHE_CONTROL_MAX = "max-age=315360000";

	/** The statuses for which nginx's {@code expires} adds its headers. */
	static final Set<Integer> STATUSES = Set.of(200, 201, 204, 206, 301, 302, 303, 304, 307, 308);

	private final WebHandler delegate;

	ExpiresMaxOnQueryHandler(WebHandler delegate) {
		this.delegate = delegate;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange) {
		String query = exchange.getRequest().getURI().getRawQuery();
		if (query != null && !query.isEmpty()) {
			ServerHttpResponse response = exchange.getResponse();
			response.beforeCommit(() -> Mono.fromRunnable(() -> expiresMax(response)));
		}
		return this.delegate.handle(exchange);
	}

	private static void expiresMax(ServerHttpResponse response) {
		if (hasExpiresStatus(response)) {
			expiresMax(response.getHeaders());
		}
	}

	/** Whether nginx's {@code expires} would add its headers to this response (no status yet means 200). */
	static boolean hasExpiresStatus(ServerHttpResponse response) {
		HttpStatusCode status = response.getStatusCode();
		return STATUSES.contains((status != null) ? status.value() : 200);
	}

	static void expiresMax(HttpHeaders headers) {
		headers.set(HttpHeaders.EXPIRES, EXPIRES_MAX);
		headers.set(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL_MAX);
	}

	@Override
	public String toString() {
		return "expires max on query -> " + this.delegate;
	}

}
