package io.portao.staticfiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ZeroCopyHttpOutputMessage;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;

/**
 * The common case of a static request, a plain {@code GET} of an existing file, answered directly: one
 * {@code stat}, the confinement check, headers cached per file version, and the file handed to the connection
 * with zero-copy transfer (nginx {@code sendfile on}).
 *
 * <p>Why not only Spring's {@code ResourceWebHandler}: per request it builds a {@code URL} per location, asks the
 * file system for existence, readability, length and modification time separately (and again in the ETag and
 * the writer), formats {@code Last-Modified} and runs the conditional-request machinery even when the request
 * has no condition. In a JFR profile of the static benchmark that was about a fifth of the event loops' time
 * (docs/performance.md). Everything else still goes to Spring's handler, which stays the reference: other
 * methods, {@code HEAD}, {@code Range} and every conditional header, any path that is not plainly safe (percent
 * escapes, dot segments, doubled slashes, dotfiles), classpath locations, missing files and directories. The
 * headers are the ones Spring's handler writes ({@code StaticFilesIntegrationTests} compares both paths, and the
 * nginx differential test compares with nginx).
 */
final class PlainFileResponder {

	/** Headers that make a request conditional or partial: left to Spring's handler (RFC 9110 section 13). */
	private static final List<String> CONDITIONS = List.of(HttpHeaders.RANGE, HttpHeaders.IF_NONE_MATCH,
			HttpHeaders.IF_MODIFIED_SINCE, HttpHeaders.IF_MATCH, HttpHeaders.IF_UNMODIFIED_SINCE, HttpHeaders.IF_RANGE);

	/** Cached headers of this many file versions at most; beyond it the cache starts over. */
	private static final int CACHE_LIMIT = 4096;

	private final List<Path> roots;

	private final NginxMimeTypes mimeTypes;

	@Nullable
	private final String cacheControl;

	private final boolean useLastModified;

	private final Map<Path, FileHeaders> headers = new ConcurrentHashMap<>();

	PlainFileResponder(List<Path> roots, NginxMimeTypes mimeTypes, @Nullable String cacheControl,
			boolean useLastModified) {
		this.roots = List.copyOf(roots);
		this.mimeTypes = mimeTypes;
		this.cacheControl = cacheControl;
		this.useLastModified = useLastModified;
	}

	/** Whether every location is a file-system directory, the only case answered here. */
	boolean hasRoots() {
		return !this.roots.isEmpty();
	}

	/** The response, or {@code null} when Spring's handler must answer. */
	@Nullable
	Mono<Void> respond(ServerWebExchange exchange) {
		PathContainer within = exchange.getAttribute(HandlerMapping.PATH_WITHIN_HANDLER_MAPPING_ATTRIBUTE);
		return (within != null) ? respond(within.value(), exchange.getRequest(), exchange.getResponse()) : null;
	}

	/**
	 * The response to {@code request} for {@code within}, the path below the static directory as in the URL
	 * (percent-encoded), or {@code null} when Spring's handler must answer.
	 */
	@Nullable
	Mono<Void> respond(String within, ServerHttpRequest request, ServerHttpResponse response) {
		if (this.roots.isEmpty() || request.getMethod() != HttpMethod.GET || hasCondition(request.getHeaders())
				|| !(response instanceof ZeroCopyHttpOutputMessage) || !isPlain(within)) {
			return null;
		}
		for (Path root : this.roots) {
			Path file = root.resolve(within);
			BasicFileAttributes attributes;
			try {
				attributes = Files.readAttributes(file, BasicFileAttributes.class);
			}
			catch (NoSuchFileException ex) {
				continue;
			}
			catch (IOException ex) {
				// Not a plain case (permissions, a dangling link): Spring's handler decides.
				return null;
			}
			if (!attributes.isRegularFile() || !Files.isReadable(file)
					|| !ConfinedResourceResolver.isInside(file, root)) {
				return null;
			}
			return send(response, file, attributes);
		}
		return null;
	}

	private Mono<Void> send(ServerHttpResponse response, Path file, BasicFileAttributes attributes) {
		long size = attributes.size();
		FileHeaders cached = fileHeaders(file, attributes.lastModifiedTime().toMillis(), size);
		HttpHeaders headers = response.getHeaders();
		// Spring's order: checkNotModified (Last-Modified, ETag), cache control, setHeaders (Content-Length), the
		// resource writer (Accept-Ranges), then StaticResourceWebHandler.fixHeaders sets Content-Type again, last.
		if (cached.lastModified != null) {
			headers.set(HttpHeaders.LAST_MODIFIED, cached.lastModified);
		}
		headers.set(HttpHeaders.ETAG, cached.etag);
		if (this.cacheControl != null) {
			headers.set(HttpHeaders.CACHE_CONTROL, this.cacheControl);
		}
		headers.setContentLength(size);
		headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
		headers.setContentType(cached.contentType);
		return ((ZeroCopyHttpOutputMessage) response).writeWith(file, 0, size);
	}

	private FileHeaders fileHeaders(Path file, long lastModifiedMillis, long size) {
		FileHeaders cached = this.headers.get(file);
		if (cached != null && cached.lastModifiedMillis == lastModifiedMillis && cached.size == size) {
			return cached;
		}
		if (this.headers.size() >= CACHE_LIMIT) {
			this.headers.clear();
		}
		String lastModified = null;
		if (this.useLastModified && lastModifiedMillis > 0) {
			HttpHeaders formatted = new HttpHeaders();
			formatted.setLastModified(lastModifiedMillis);
			lastModified = formatted.getFirst(HttpHeaders.LAST_MODIFIED);
		}
		FileHeaders fresh = new FileHeaders(lastModifiedMillis, size, lastModified,
				NginxEtag.format(lastModifiedMillis, size), this.mimeTypes.forFilename(file.getFileName().toString()));
		this.headers.put(file, fresh);
		return fresh;
	}

	private static boolean hasCondition(HttpHeaders headers) {
		for (String name : CONDITIONS) {
			if (headers.containsHeader(name)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether {@code path} (relative to the static root, as in the URL) is plainly safe: non-empty, only unreserved
	 * characters and single slashes, no segment starting with a dot (which also rules out {@code .} and
	 * {@code ..}), no leading or trailing slash. Anything else is judged by Spring's handler and
	 * {@link StaticResourceWebHandler#isHiddenOrControl}.
	 */
	static boolean isPlain(String path) {
		int length = path.length();
		if (length == 0 || path.charAt(0) == '/' || path.charAt(length - 1) == '/') {
			return false;
		}
		char previous = '/';
		for (int i = 0; i < length; i++) {
			char c = path.charAt(i);
			boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '_' || c == '~' || (c == '.' && previous != '/') || (c == '/' && previous != '/');
			if (!ok) {
				return false;
			}
			previous = c;
		}
		return true;
	}

	private record FileHeaders(long lastModifiedMillis, long size, @Nullable String lastModified, String etag,
			MediaType contentType) {
	}

}
