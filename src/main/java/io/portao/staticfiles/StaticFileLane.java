package io.portao.staticfiles;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import io.portao.accesslog.AccessLog;
import io.portao.headers.TrustedProxies;
import io.portao.lane.Lane;
import io.portao.lane.LaneFallback;
import io.portao.lane.LaneRecorder;

/**
 * The static benchmark's case, a plain {@code GET} of an existing file under the static directory, answered from
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
 * <li>{@code StaticFilesHandlerMapping}'s choice: the static pattern is a directory ({@code /static/**}), which no
 * route or endpoint can claim first (its order, 0, is after the actuator and before every route), and lanes are
 * on the public port only;</li>
 * <li>the caching wrappers ({@code expires max} on a query, the version check): both act only on a query.</li>
 * </ul>
 * A request it takes whose file turns out not to be a plain case (missing, a directory, unreadable, a link out of
 * the root) goes to {@link LaneFallback}, so Spring's handler answers it as without the lane.
 */
final class StaticFileLane implements Lane {

	/** The static directory as in the URL, with both slashes: {@code /static/}. */
	private final String directory;

	private final PlainFileResponder files;

	private final TrustedProxies trustedProxies;

	private final LaneFallback fallback;

	private final LaneRecorder recorder;

	@Nullable
	private final AccessLog accessLog;

	StaticFileLane(String pattern, PlainFileResponder files, TrustedProxies trustedProxies, LaneFallback fallback,
			LaneRecorder recorder, @Nullable AccessLog accessLog) {
		this.directory = pattern.substring(0, pattern.length() - 2);
		this.files = files;
		this.trustedProxies = trustedProxies;
		this.fallback = fallback;
		this.recorder = recorder;
		this.accessLog = accessLog;
	}

	/** Whether the lane can serve {@code pattern}: a whole directory, {@code /static/**}. */
	static boolean supports(String pattern) {
		return pattern.endsWith("/**") && pattern.length() > 3 && pattern.indexOf('*') == pattern.length() - 2
				&& pattern.indexOf('{') < 0;
	}

	/** A plain {@code GET} in the static directory, unconditional, from an untrusted peer: no allocation. */
	@Override
	public boolean takes(HttpServerRequest request) {
		if (!HttpMethod.GET.equals(request.method())) {
			return false;
		}
		String target = request.uri();
		// isPlain refuses a query, a percent escape, a dot segment, a doubled slash and a trailing slash.
		if (!target.startsWith(this.directory) || !PlainFileResponder.isPlain(target, this.directory.length())) {
			return false;
		}
		HttpHeaders headers = request.requestHeaders();
		return !PlainFileResponder.hasCondition(headers::contains) && !this.trustedProxies.mayBeTrustedPeer(request.remoteAddress());
	}

	@Override
	public Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
		PlainFile file = this.files.find(request.uri().substring(this.directory.length()));
		if (file == null) {
			return this.fallback.serve(request, response);
		}
		file.forEachHeader(response.responseHeaders()::set);
		Mono<Void> sent = this.recorder.handled(FileBody.send(response, file.path(), file.size()), request, response);
		return (this.accessLog != null) ? this.accessLog.logged(sent, request, response, file.size()) : sent;
	}

}
