package io.portao.staticfiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.resource.ResourceWebHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriUtils;

/**
 * Spring's {@link ResourceWebHandler} (Last-Modified, 304, Range, zero-copy, traversal checks) with what nginx's
 * {@code location /static/ { root ...; }} does differently or Spring lacks:
 * <ul>
 * <li>{@code Content-Type} from nginx's {@code mime.types}, {@code application/octet-stream} otherwise
 * ({@link NginxMimeTypes}); no charset is added, as nginx adds none.</li>
 * <li>Dotfiles are not served: a path with a segment starting with {@code .} (after percent-decoding), such as
 * {@code /static/.git/config} or {@code /static/.env}, answers 404. nginx would serve them; a deploy directory
 * often holds such files by accident, and no web page needs them.</li>
 * <li>A path holding a control character after decoding ({@code %00}, {@code %0a}) answers 404: no file name
 * worth serving has one, and a NUL would otherwise reach the file system API.</li>
 * <li>Symbolic links are followed only while they stay inside the root ({@link ConfinedResourceResolver}); one
 * pointing out of it answers 404.</li>
 * </ul>
 * A missing file, a directory and every rejected path answer 404 from here and are never proxied. A plain
 * {@code GET} of an existing file is answered by {@link PlainFileResponder} with the same headers, without the
 * per-request work of the generic handler.
 */
final class StaticResourceWebHandler extends ResourceWebHandler {

	private final NginxMimeTypes mimeTypes;

	private PlainFileResponder plainFiles;

	StaticResourceWebHandler(NginxMimeTypes mimeTypes) {
		this.mimeTypes = mimeTypes;
		setMediaTypes(mimeTypes.byExtension());
		setResourceResolvers(List.of(new ConfinedResourceResolver()));
		setEtagGenerator(new NginxEtag());
	}

	@Override
	public void afterPropertiesSet() throws Exception {
		super.afterPropertiesSet();
		CacheControl cacheControl = getCacheControl();
		this.plainFiles = new PlainFileResponder(fileRoots(getLocations()), this.mimeTypes,
				(cacheControl != null) ? cacheControl.getHeaderValue() : null, isUseLastModified());
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange) {
		Mono<Void> plain = (this.plainFiles != null) ? this.plainFiles.respond(exchange) : null;
		return (plain != null) ? plain : super.handle(exchange);
	}

	/** The responder for plain requests, or {@code null} when a location is not a file-system directory. */
	@Nullable
	PlainFileResponder plainFiles() {
		return (this.plainFiles != null && this.plainFiles.hasRoots()) ? this.plainFiles : null;
	}

	/**
	 * The file {@link #handle} would answer with, by the same checks and resolvers; empty for a missing file or a
	 * refused path.
	 */
	Mono<Resource> resolve(ServerWebExchange exchange) {
		return getResource(exchange);
	}

	/**
	 * The locations as directories, in order, when every one is a directory on the file system; otherwise none, so
	 * that a location inside a jar keeps its place in the search order (Spring's handler then answers everything).
	 */
	static List<Path> fileRoots(List<Resource> locations) throws IOException {
		List<Path> roots = new ArrayList<>();
		for (Resource location : locations) {
			if (!location.isFile()) {
				return List.of();
			}
			roots.add(location.getFile().toPath());
		}
		return roots;
	}

	@Override
	protected boolean isInvalidPath(String path) {
		return isHiddenOrControl(path);
	}

	/** Whether {@code path} (as in the URL, percent-encoded) names a dotfile or holds a control character. */
	static boolean isHiddenOrControl(String path) {
		String decoded;
		try {
			decoded = UriUtils.decode(path, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return true;
		}
		for (String segment : decoded.replace('\\', '/').split("/")) {
			if (segment.startsWith(".")) {
				return true;
			}
		}
		return decoded.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
	}

	@Override
	protected void setHeaders(ServerWebExchange exchange, Resource resource, MediaType mediaType) throws IOException {
		MediaType nginxType = this.mimeTypes.forFilename(resource.getFilename());
		super.setHeaders(exchange, resource, nginxType);
		ServerHttpResponse response = exchange.getResponse();
		response.beforeCommit(() -> Mono.fromRunnable(() -> fixHeaders(response, nginxType)));
	}

	/**
	 * Spring's resource writer sets the type again, and for an extension nginx does not list (or lists as
	 * {@code application/octet-stream}) it takes the guess of its own, different table: nginx's answer is put
	 * back just before the headers go out.
	 *
	 * <p>{@link ResourceWebHandler} sets the {@code Content-Length} of the whole file before the writer looks at
	 * {@code Range} (spring-web 7.0.8). A multi-range answer ({@code multipart/byteranges}) and a 416 (no body)
	 * would keep that length, which frames the body wrongly and desynchronises a kept-alive connection (RFC 9112
	 * section 6.3): the multipart body is sent chunked instead, and the 416 with a length of 0.
	 */
	private static void fixHeaders(ServerHttpResponse response, MediaType nginxType) {
		HttpHeaders headers = response.getHeaders();
		if (HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE.equals(response.getStatusCode())) {
			headers.remove(HttpHeaders.CONTENT_TYPE);
			headers.setContentLength(0);
			return;
		}
		MediaType type = headers.getContentType();
		if (type != null && "multipart".equals(type.getType())) {
			headers.remove(HttpHeaders.CONTENT_LENGTH);
			return;
		}
		headers.setContentType(nginxType);
	}

}
