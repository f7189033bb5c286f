package io.portao.staticfiles;

import java.nio.file.NoSuchFileException;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;

/**
 * nginx's {@code expires max} for versioned static URLs ({@code app.css?v=8c2f1}), given only when the version
 * names the file on disk ({@code portao.static-files.version-check}). During a rolling deploy a page rendered by
 * a new instance can ask for a version the gateway does not serve yet; nginx's {@code if ($query_string)} rule
 * would let caches keep the old file under the new URL for ten years. Such a request gets the file with
 * {@code Cache-Control: no-cache} and no {@code Expires} (RFC 9111 section 5.2.2.4: stored but revalidated), so
 * the next request after the deploy sees the new file.
 *
 * <p>A request without the version parameter goes to {@code withoutVersion} (nginx's rule, or no caching
 * headers). The headers are set just before the response is committed, on the statuses nginx's {@code expires}
 * covers, so 304 and 206 answers follow the same rule and a 404 gets neither.
 *
 * @param files the static handler, adding no caching headers of its own
 * @param withoutVersion the handler for requests that do not carry {@code parameter}
 * @param resolver the file a request names, as {@code files} resolves it; empty when there is none
 * @param hashes the files' content hashes, computed once per file and version
 * @param parameter the query parameter that carries the version ({@code v})
 */
record VersionCheckedCachingHandler(WebHandler files, WebHandler withoutVersion,
		Function<ServerWebExchange, Mono<Resource>> resolver, ContentHashes hashes, String parameter)
		implements WebHandler {

	private static final Log logger = LogFactory.getLog(VersionCheckedCachingHandler.class);

	/** Shortest version compared: Tornado's {@code static_url} sends 5 hex characters of the MD5. */
	static final int MIN_VERSION_LENGTH = 5;

	static final String NO_CACHE = "no-cache";

	@Override
	public Mono<Void> handle(ServerWebExchange exchange) {
		String version = queryParameter(exchange.getRequest().getURI().getRawQuery(), this.parameter);
		if (version == null) {
			return this.withoutVersion.handle(exchange);
		}
		return isCurrent(exchange, version).flatMap(current -> {
			ServerHttpResponse response = exchange.getResponse();
			response.beforeCommit(() -> Mono.fromRunnable(() -> cacheHeaders(response, current)));
			return this.files.handle(exchange);
		});
	}

	/**
	 * Whether {@code version} names the requested file as it is now. A value that cannot be a version is not
	 * looked up; a missing file is answered 404 by {@code files}, and a file that cannot be read is not current.
	 */
	private Mono<Boolean> isCurrent(ServerWebExchange exchange, String version) {
		if (!isHexVersion(version)) {
			return Mono.just(false);
		}
		return this.resolver.apply(exchange)
			.flatMap(this.hashes::of)
			.map(digests -> digests.names(version, MIN_VERSION_LENGTH))
			.defaultIfEmpty(false)
			.onErrorResume(ex -> notCurrent(exchange, ex));
	}

	private static Mono<Boolean> notCurrent(ServerWebExchange exchange, Throwable ex) {
		// A file deleted since it was resolved is answered 404 next; any other failure deserves a line.
		if (!(ex instanceof NoSuchFileException)) {
			logger.warn("Cannot hash " + exchange.getRequest().getPath() + " for its version: " + ex);
		}
		return Mono.just(false);
	}

	private static void cacheHeaders(ServerHttpResponse response, boolean current) {
		if (!Expires.hasExpiresStatus(response)) {
			return;
		}
		HttpHeaders headers = response.getHeaders();
		if (current) {
			Expires.expiresMax(headers);
			return;
		}
		headers.remove(HttpHeaders.EXPIRES);
		headers.set(HttpHeaders.CACHE_CONTROL, NO_CACHE);
	}

	/** 5 to 32 hex characters (a prefix of an MD5) or 128 (a SHA-512). */
	static boolean isHexVersion(String value) {
		int length = value.length();
		if (length < MIN_VERSION_LENGTH || (length > 32 && length != 128)) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			char c = value.charAt(i);
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The raw value of the first {@code name} parameter in {@code query} ({@code ""} for {@code ?v} or
	 * {@code ?v=}), or {@code null} when the query has none.
	 */
	@Nullable
	static String queryParameter(@Nullable String query, String name) {
		if (query == null) {
			return null;
		}
		int start = 0;
		while (start <= query.length()) {
			int end = query.indexOf('&', start);
			end = (end < 0) ? query.length() : end;
			if (query.startsWith(name, start)) {
				int after = start + name.length();
				if (after == end) {
					return "";
				}
				if (query.charAt(after) == '=') {
					return query.substring(after + 1, end);
				}
			}
			start = end + 1;
		}
		return null;
	}

	@Override
	public String toString() {
		return "version-checked expires max on ?" + this.parameter + "= -> " + this.files;
	}

}
