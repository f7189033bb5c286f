package io.portao.staticfiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
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
 *
 * <p>Both paths that answer plain requests use it: this handler's own ({@link #respond(ServerWebExchange)}, behind
 * the web stack) and the static lane ahead of it ({@link StaticFileLane}), which finds the file with
 * {@link #find} and writes the same headers.
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

	private final Map<Path, CachedFile> files = new ConcurrentHashMap<>();

	private final OpenFiles openFiles = new OpenFiles();

	/** {@link #resolved} paths, at most {@link #CACHE_LIMIT}; beyond it the cache starts over. */
	private final Map<String, Path[]> paths = new ConcurrentHashMap<>();

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
		if (request.getMethod() != HttpMethod.GET || hasCondition(request.getHeaders()::containsHeader)
				|| !(response instanceof ZeroCopyHttpOutputMessage zeroCopy)) {
			return null;
		}
		PlainFile file = find(within);
		if (file == null || !Files.isReadable(file.path())) {
			return null;
		}
		file.forEachHeader(response.getHeaders()::set);
		// An empty body has nothing to transfer: a region of 0 bytes after the headers-only message that Reactor
		// Netty sends for Content-Length: 0 fails in Netty's encoder, and the connection is closed.
		return (file.size() > 0) ? zeroCopy.writeWith(file.path(), 0, file.size()) : response.setComplete();
	}

	/**
	 * The regular file {@code within} names (the path below the static directory as in the URL) in the first root
	 * that has it, inside that root, with its headers; {@code null} when Spring's handler must decide: a path that
	 * is not {@link #isPlain plain}, no such file, a directory or a link out of the root. Whether the file can be
	 * read is the caller's to find out, as nginx does, by opening it ({@link #open}); this path's own
	 * {@link #respond} asks with {@code access}. One {@code lstat} (and one per directory below the root), where
	 * nginx makes one {@code stat}; the real paths are read only when a link is on the way.
	 */
	@Nullable
	PlainFile find(String within) {
		if (this.roots.isEmpty() || !isPlain(within)) {
			return null;
		}
		Path[] files = resolved(within);
		for (int i = 0; i < files.length; i++) {
			Path root = this.roots.get(i);
			Path file = files[i];
			BasicFileAttributes attributes;
			boolean linked;
			try {
				// The file's own lstat: its attributes and whether it is a link, in one system call.
				attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
				linked = attributes.isSymbolicLink() || directoriesLinked(root, within);
				if (linked) {
					attributes = Files.readAttributes(file, BasicFileAttributes.class);
				}
			}
			catch (NoSuchFileException ex) {
				forget(file);
				continue;
			}
			catch (IOException ex) {
				// Not a plain case (permissions, a dangling link): Spring's handler decides.
				return null;
			}
			if (!attributes.isRegularFile() || (linked && !ConfinedResourceResolver.isInside(file, root))) {
				return null;
			}
			return plainFile(file, attributes.lastModifiedTime().toMillis(), attributes.size(), attributes.fileKey());
		}
		return null;
	}

	/**
	 * Whether a directory on the way from {@code root} to the file {@code within} names is a symbolic link (or
	 * cannot be read as one). When none is and the file is not one either, the file is inside the root as written
	 * ({@code within} is {@link #isPlain plain}: no dot segment), so the real paths need not be compared: an
	 * {@code lstat} per directory of {@code within} instead of two {@code realpath} calls, which read every
	 * component of both full paths, per request. A root that is itself a link (a release swapped in) is fine
	 * either way: only what lies below it can lead out of it.
	 */
	private static boolean directoriesLinked(Path root, String within) {
		for (int slash = within.indexOf('/'); slash >= 0; slash = within.indexOf('/', slash + 1)) {
			try {
				if (Files.readAttributes(root.resolve(within.substring(0, slash)), BasicFileAttributes.class,
						LinkOption.NOFOLLOW_LINKS).isSymbolicLink()) {
					return true;
				}
			}
			catch (IOException ex) {
				// Gone meanwhile, or unreadable: let the real paths decide.
				return true;
			}
		}
		return false;
	}

	/**
	 * The cached version of {@code file} if it is still this one (same modification time, size and file key: a
	 * file renamed over it is another inode), else a new version, whose predecessor's descriptor is let go.
	 */
	private PlainFile plainFile(Path file, long lastModifiedMillis, long size, @Nullable Object fileKey) {
		CachedFile cached = this.files.get(file);
		if (cached != null && cached.lastModifiedMillis == lastModifiedMillis && cached.file.size() == size
				&& Objects.equals(cached.fileKey, fileKey)) {
			return cached.file;
		}
		if (this.files.size() >= CACHE_LIMIT) {
			this.files.values().removeIf(each -> {
				each.file.slot().close();
				return true;
			});
		}
		PlainFile fresh = new PlainFile(file, size, lastModifiedMillis,
				headers(file, lastModifiedMillis, size));
		CachedFile previous = this.files.put(file, new CachedFile(lastModifiedMillis, fileKey, fresh));
		if (previous != null) {
			previous.file.slot().close();
		}
		return fresh;
	}

	/**
	 * {@code within} resolved against each root, made once per path: {@code Path.resolve} parses and normalizes the
	 * string and encodes the result for the file system (5 % of the static lane's CPU in a JFR profile).
	 */
	private Path[] resolved(String within) {
		Path[] cached = this.paths.get(within);
		if (cached != null) {
			return cached;
		}
		if (this.paths.size() >= CACHE_LIMIT) {
			this.paths.clear();
		}
		Path[] files = new Path[this.roots.size()];
		for (int i = 0; i < files.length; i++) {
			files[i] = this.roots.get(i).resolve(within);
		}
		this.paths.put(within, files);
		return files;
	}

	/** {@code file} is gone: its version, and the descriptor held for it, go too. */
	private void forget(Path file) {
		CachedFile gone = this.files.remove(file);
		if (gone != null) {
			gone.file.slot().close();
		}
	}

	/**
	 * {@code file}'s contents for one response, from {@link OpenFiles} (the caller releases it once sent), or
	 * {@code null} when it cannot be opened.
	 */
	OpenFiles.@Nullable Handle open(PlainFile file) {
		return this.openFiles.acquire(file);
	}

	/**
	 * Spring's order: checkNotModified (Last-Modified, ETag), cache control, setHeaders (Content-Length), the
	 * resource writer (Accept-Ranges), then {@code StaticResourceWebHandler.fixHeaders} sets Content-Type again,
	 * last. The names are spelled as Spring's {@link HttpHeaders} constants, which go to the wire as they are.
	 */
	private String[] headers(Path file, long lastModifiedMillis, long size) {
		List<String> headers = new ArrayList<>(12);
		if (this.useLastModified && lastModifiedMillis > 0) {
			HttpHeaders formatted = new HttpHeaders();
			formatted.setLastModified(lastModifiedMillis);
			headers.addAll(List.of(HttpHeaders.LAST_MODIFIED, formatted.getFirst(HttpHeaders.LAST_MODIFIED)));
		}
		headers.addAll(List.of(HttpHeaders.ETAG, NginxEtag.format(lastModifiedMillis, size)));
		if (this.cacheControl != null) {
			headers.addAll(List.of(HttpHeaders.CACHE_CONTROL, this.cacheControl));
		}
		headers.addAll(List.of(HttpHeaders.CONTENT_LENGTH, Long.toString(size), HttpHeaders.ACCEPT_RANGES, "bytes",
				HttpHeaders.CONTENT_TYPE, this.mimeTypes.forFilename(file.getFileName().toString()).toString()));
		return headers.toArray(String[]::new);
	}

	/**
	 * Whether the request has a header that makes it conditional or partial; {@code present} tells whether it has
	 * a header of that name (Spring's headers or Reactor Netty's).
	 */
	static boolean hasCondition(Predicate<String> present) {
		for (String name : CONDITIONS) {
			if (present.test(name)) {
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
		return isPlain(path, 0);
	}

	/** Whether the part of {@code target} from {@code start} on is {@link #isPlain(String) plain}. */
	static boolean isPlain(String target, int start) {
		int length = target.length();
		if (length == start || target.charAt(start) == '/' || target.charAt(length - 1) == '/') {
			return false;
		}
		char previous = '/';
		for (int i = start; i < length; i++) {
			char c = target.charAt(i);
			boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '_' || c == '~' || (c == '.' && previous != '/') || (c == '/' && previous != '/');
			if (!ok) {
				return false;
			}
			previous = c;
		}
		return true;
	}

	/** A file's headers and descriptor, valid while its modification time, size and file key are these. */
	private record CachedFile(long lastModifiedMillis, @Nullable Object fileKey, PlainFile file) {
	}

}
