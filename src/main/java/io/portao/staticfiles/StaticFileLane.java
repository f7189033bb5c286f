package io.portao.staticfiles;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import io.portao.accesslog.AccessLog;
import io.portao.headers.TrustedProxyAddresses;
import io.portao.lane.Lane;
import io.portao.lane.LaneFallback;
import io.portao.lane.LaneRecorder;

/**
 * The static benchmark's case, a plain {@code GET} of an existing file under a static directory, answered from
 * Reactor Netty's routes, ahead of Spring's HTTP adapter ({@link Lane}): no Spring request (no URI parse), no
 * exchange. {@link PlainFileResponder} finds the file and gives its headers, the ones its own path behind the web
 * stack writes; the file goes to the connection as a {@link FileBody}. The request is recorded
 * ({@code http.server.requests}) as Spring's adapter records it ({@link LaneRecorder}) and logged as the access
 * log logs it ({@link AccessLog}).
 *
 * <p>What the bypassed layers do is either ruled out by the lane's conditions or done here:
 * <ul>
 * <li>the request target check ({@code RequestTargetFilter}): the raw target must be the static directory
 * followed by unreserved characters and single slashes, no dot segment, no percent escape, no query, which that
 * check never refuses;</li>
 * <li>the client address ({@code ClientAddress}, read by the access log): the lane is not taken for a peer in
 * {@code portao.trusted-proxies}, whose real client comes from {@code X-Forwarded-For};</li>
 * <li>{@code StaticFilesHandlerMapping}'s choice: the most specific matching pattern is a directory
 * ({@code /static/**}), which no route or endpoint can claim first (its order, 0, is after the actuator and before
 * every route), and lanes are on the public port only;</li>
 * <li>the caching rules: {@code expires max} on a query and the version check act only on a query; a fixed
 * {@code expires} ({@code caching: max-age}) is set here by the same {@link Expires}.</li>
 * </ul>
 * A request it takes whose file turns out not to be a plain case (missing, a directory, unreadable, a link out of
 * the root) goes to {@link LaneFallback}, so Spring's handler answers it as without the lane.
 */
final class StaticFileLane implements Lane {

	private final StaticFilesHandlerMapping mapping;

	private final TrustedProxyAddresses trustedProxies;

	private final LaneFallback fallback;

	private final Function<String, LaneRecorder> recorders;

	private final Map<String, LaneRecorder> recorderByPattern = new ConcurrentHashMap<>();

	@Nullable
	private final AccessLog accessLog;

	/**
	 * @param recorders the recorder for a pattern, made once per pattern (a reload may add locations)
	 */
	StaticFileLane(StaticFilesHandlerMapping mapping, TrustedProxyAddresses trustedProxies, LaneFallback fallback,
			Function<String, LaneRecorder> recorders, @Nullable AccessLog accessLog) {
		this.mapping = mapping;
		this.trustedProxies = trustedProxies;
		this.fallback = fallback;
		this.recorders = recorders;
		this.accessLog = accessLog;
		// Made here, off the event loops (bean lookups); a location a reload adds gets its recorder on first use.
		mapping.site().mappings().forEach(each -> recorder(each));
	}

	/** Where a request of {@code mapping} is recorded ({@code http.server.requests}). */
	LaneRecorder recorder(StaticSite.Mapping mapping) {
		return this.recorderByPattern.computeIfAbsent(mapping.pattern().getPatternString(), this.recorders);
	}

	/** The access log, {@code null} when it is off. */
	@Nullable
	AccessLog accessLog() {
		return this.accessLog;
	}

	/** Whether the lane can serve {@code pattern}: a whole directory, {@code /static/**}. */
	static boolean supports(String pattern) {
		return pattern.endsWith("/**") && pattern.length() > 3 && pattern.indexOf('*') == pattern.length() - 2
				&& pattern.indexOf('{') < 0;
	}

	/** A plain {@code GET} in a static directory, unconditional, from an untrusted peer: no allocation. */
	@Override
	public boolean takes(HttpServerRequest request) {
		return takes(request.method(), request.uri(), request.requestHeaders(), request.remoteAddress());
	}

	/** {@link #takes(HttpServerRequest)} on the request's parts. */
	boolean takes(HttpMethod method, String target, HttpHeaders headers, @Nullable InetSocketAddress peer) {
		return taken(method, target, headers, peer) != null;
	}

	/**
	 * The mapping of a request the lane takes, else {@code null}: the method and the target's prefix first, so that
	 * a request for another location (a proxied one) costs no header look-up here.
	 */
	StaticSite.@Nullable Mapping taken(HttpMethod method, String target, HttpHeaders headers,
			@Nullable InetSocketAddress peer) {
		if (!HttpMethod.GET.equals(method) || !target.startsWith("/")) {
			return null;
		}
		StaticSite.Mapping mapping = laneMapping(target);
		if (mapping == null || PlainFileResponder.hasCondition(headers::contains)
				|| this.trustedProxies.mayBeTrustedPeer(peer)) {
			return null;
		}
		return mapping;
	}

	/**
	 * The location {@code target} belongs to when the lane can answer it: the most specific mapping that matches
	 * it is a directory on the file system, and the rest of the target is plain ({@link PlainFileResponder#isPlain}
	 * refuses a query, a percent escape, a dot segment, a doubled slash and a trailing slash). {@code null} when the
	 * most specific match is one the lane cannot serve, so the web stack decides as it would without the lane.
	 */
	private StaticSite.@Nullable Mapping laneMapping(String target) {
		for (StaticSite.Mapping mapping : this.mapping.site().mappings()) {
			String directory = mapping.directory();
			if (directory == null) {
				// A pattern the lane cannot read (/**, /static/*.css): whether it matches is the web stack's to say.
				return null;
			}
			if (target.startsWith(directory)) {
				return (mapping.files().plainFiles() != null && PlainFileResponder.isPlain(target, directory.length()))
						? mapping : null;
			}
		}
		return null;
	}

	@Override
	public Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
		Found found = find(request.uri());
		if (found == null) {
			return this.fallback.serve(request, response);
		}
		found.setHeaders(response.responseHeaders());
		Mono<Void> body = FileBody.send(response, found.opened(), found.file());
		Mono<Void> sent = recorder(found.mapping()).handled(body, request, response);
		return (this.accessLog != null) ? this.accessLog.logged(sent, request, response, found.file().size()) : sent;
	}

	/** The file {@code target} names, opened, or {@code null} when it is not a plain case. */
	@Nullable
	Found find(String target) {
		StaticSite.Mapping mapping = laneMapping(target);
		return (mapping != null) ? find(mapping, target) : null;
	}

	/**
	 * The file of {@code target} in a {@link #taken} mapping, opened, else {@code null} (not a plain case). For
	 * {@link StaticFileHandler} too, which asks {@link #taken} first.
	 */
	@Nullable
	Found find(StaticSite.Mapping mapping, String target) {
		PlainFileResponder files = mapping.files().plainFiles();
		PlainFile file = (files != null) ? files.find(target.substring(mapping.directory().length())) : null;
		OpenFiles.Handle opened = (file != null) ? files.open(file) : null;
		return (opened != null) ? new Found(mapping, file, opened) : null;
	}

	/** A file found and opened for a request (the caller releases {@code opened}). */
	record Found(StaticSite.Mapping mapping, PlainFile file, OpenFiles.Handle opened) {

		/**
		 * The response headers, for a response that adds none of its own: the version's own map, shared (nothing
		 * below the lane's handler changes a response's headers), unless the location sets {@code Expires}, which
		 * depends on the time.
		 */
		HttpHeaders headers() {
			if (this.mapping.expires() == null) {
				return this.file.headers();
			}
			HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().newHeaders();
			setHeaders(headers);
			return headers;
		}

		void setHeaders(HttpHeaders headers) {
			this.file.addTo(headers);
			if (this.mapping.expires() != null) {
				this.mapping.expires().set(headers::set, System.currentTimeMillis());
			}
		}

	}

}
