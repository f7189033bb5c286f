package io.portao.staticfiles;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;

/**
 * The expires rule: nginx's {@code expires} (ngx_http_headers_module) as the static locations use it, in one place
 * for both paths that answer a static request, the web stack's handlers and the static lane ({@link StaticFileLane}).
 *
 * <ul>
 * <li>{@code expires <time>} ({@code caching: max-age}): {@code Expires} set to the time of the answer plus
 * {@code time}, and {@code Cache-Control: max-age=<seconds>}, replacing any other ({@link #set}, {@link Handler}).</li>
 * <li>{@code expires max}: {@code Expires: Thu, 31 Dec 2037 23:55:55 GMT} and {@code Cache-Control:
 * max-age=315360000}, nginx's fixed date and ten years ({@link #expiresMax}).</li>
 * <li>The reference configuration's {@code if ($query_string) { expires max; }} ({@code caching:
 * expires-max-on-query}): a URL with a non-empty query string (a cache-busting version such as
 * {@code app.js?v=42}) may be cached for good; a bare {@code ?} is an empty {@code $query_string}, so it gets
 * neither header ({@link MaxOnQuery}).</li>
 * </ul>
 * Either is added only on the statuses nginx lists for {@code expires} ({@link #hasExpiresStatus}).
 */
final class Expires {

	/** nginx's {@code expires max}: {@code max-age=315360000} and a fixed {@code Expires}. */
	static final long MAX_SECONDS = 315_360_000L;

	static final String EXPIRES_MAX = "Thu, 31 Dec 2037 23:55:55 GMT";

	static final String CACHE_CONTROL_MAX = "max-age=" + MAX_SECONDS;

	/** The statuses for which nginx's {@code expires} adds its headers. */
	static final Set<Integer> STATUSES = Set.of(200, 201, 204, 206, 301, 302, 303, 304, 307, 308);

	/** As nginx and RFC 9110 section 5.6.7 write a date: two-digit day, GMT. */
	private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
		.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
		.withZone(ZoneOffset.UTC);

	private final long seconds;

	private final String cacheControl;

	/** The last second formatted, so that a busy location formats one date per second, not one per answer. */
	private volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

	Expires(Duration duration) {
		this.seconds = duration.toSeconds();
		this.cacheControl = "max-age=" + this.seconds;
	}

	/** Sets both headers, for an answer sent at {@code nowMillis}. */
	void set(BiConsumer<String, String> header, long nowMillis) {
		header.accept(HttpHeaders.EXPIRES, expires(nowMillis));
		header.accept(HttpHeaders.CACHE_CONTROL, this.cacheControl);
	}

	String expires(long nowMillis) {
		if (this.seconds == MAX_SECONDS) {
			return EXPIRES_MAX;
		}
		long second = Math.floorDiv(nowMillis, 1000L);
		Formatted formatted = this.last;
		if (formatted.second != second) {
			formatted = new Formatted(second, HTTP_DATE.format(Instant.ofEpochSecond(second + this.seconds)));
			this.last = formatted;
		}
		return formatted.value;
	}

	@Override
	public String toString() {
		return "expires " + this.seconds + "s";
	}

	/** Whether nginx's {@code expires} would add its headers to this response (no status yet means 200). */
	static boolean hasExpiresStatus(ServerHttpResponse response) {
		HttpStatusCode status = response.getStatusCode();
		return STATUSES.contains((status != null) ? status.value() : 200);
	}

	/** nginx's {@code expires max}. */
	static void expiresMax(HttpHeaders headers) {
		headers.set(HttpHeaders.EXPIRES, EXPIRES_MAX);
		headers.set(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL_MAX);
	}

	private record Formatted(long second, String value) {
	}

	/** The rule around the static handler of the web stack, on the statuses nginx's {@code expires} covers. */
	static final class Handler implements WebHandler {

		private final Expires expires;

		private final WebHandler delegate;

		Handler(Expires expires, WebHandler delegate) {
			this.expires = expires;
			this.delegate = delegate;
		}

		Expires expires() {
			return this.expires;
		}

		@Override
		public Mono<Void> handle(ServerWebExchange exchange) {
			ServerHttpResponse response = exchange.getResponse();
			response.beforeCommit(() -> Mono.fromRunnable(() -> {
				if (hasExpiresStatus(response)) {
					this.expires.set(response.getHeaders()::set, System.currentTimeMillis());
				}
			}));
			return this.delegate.handle(exchange);
		}

		@Override
		public String toString() {
			return this.expires + " -> " + this.delegate;
		}

	}

	/** {@code if ($query_string) { expires max; }} around the static handler of the web stack. */
	static final class MaxOnQuery implements WebHandler {

		private final WebHandler delegate;

		MaxOnQuery(WebHandler delegate) {
			this.delegate = delegate;
		}

		@Override
		public Mono<Void> handle(ServerWebExchange exchange) {
			String query = exchange.getRequest().getURI().getRawQuery();
			if (query != null && !query.isEmpty()) {
				ServerHttpResponse response = exchange.getResponse();
				response.beforeCommit(() -> Mono.fromRunnable(() -> {
					if (hasExpiresStatus(response)) {
						expiresMax(response.getHeaders());
					}
				}));
			}
			return this.delegate.handle(exchange);
		}

		@Override
		public String toString() {
			return "expires max on query -> " + this.delegate;
		}

	}

}
