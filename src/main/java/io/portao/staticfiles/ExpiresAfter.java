package io.portao.staticfiles;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.BiConsumer;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;

/**
 * nginx's {@code expires <time>} (ngx_http_headers_module): {@code Expires} set to the time of the answer plus
 * {@code time}, and {@code Cache-Control: max-age=<seconds>}, replacing any other. {@code expires max} is the
 * special case of ten years, sent with nginx's fixed date. One rule for both paths that answer a static request:
 * the web stack's ({@link Handler}) and the static lane's ({@link StaticFileLane}).
 */
final class ExpiresAfter {

	/** nginx's {@code expires max}: {@code max-age=315360000} and a fixed {@code Expires}. */
	static final long MAX_SECONDS = 315_360_000L;

	/** As nginx and RFC 9110 section 5.6.7 write a date: two-digit day, GMT. */
	private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
		.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
		.withZone(ZoneOffset.UTC);

	private final long seconds;

	private final String cacheControl;

	/** The last second formatted, so that a busy location formats one date per second, not one per answer. */
	private volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

	ExpiresAfter(Duration duration) {
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
			return ExpiresMaxOnQueryHandler.EXPIRES_MAX;
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

	private record Formatted(long second, String value) {
	}

	/** The rule around the static handler of the web stack, on the statuses nginx's {@code expires} covers. */
	static final class Handler implements WebHandler {

		private final ExpiresAfter expires;

		private final WebHandler delegate;

		Handler(ExpiresAfter expires, WebHandler delegate) {
			this.expires = expires;
			this.delegate = delegate;
		}

		ExpiresAfter expires() {
			return this.expires;
		}

		@Override
		public Mono<Void> handle(ServerWebExchange exchange) {
			ServerHttpResponse response = exchange.getResponse();
			response.beforeCommit(() -> Mono.fromRunnable(() -> {
				if (ExpiresMaxOnQueryHandler.hasExpiresStatus(response)) {
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

}
