package io.portao.proxy;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import io.portao.accesslog.AccessLog;
import io.portao.headers.LaneHeaders;
import io.portao.headers.TrustedProxyAddresses;
import io.portao.lane.Lane;
import io.portao.lane.LaneFallback;
import io.portao.lane.LaneRecorder;
import io.portao.limits.RequestTargetRules;
import io.portao.staticfiles.StaticPaths;
import io.portao.upstream.AttemptLog;

/**
 * Proxied requests answered from Reactor Netty's routes, ahead of Spring's HTTP adapter ({@link Lane}): no
 * Spring request, no exchange, no web filter or gateway filter chain. What the gateway path does for such a
 * request is done by the same classes ({@link UpstreamCall}); the request is recorded
 * ({@code http.server.requests}, {@code spring.cloud.gateway.requests}) and logged as on the gateway path.
 *
 * <p>Taken: a {@code GET} without a body (none, or {@code Content-Length: 0}), {@code Upgrade} or {@code Expect}, with a {@code Host}, from a peer
 * that is not a trusted proxy, whose raw target is plain (origin-form printable ASCII that the request target
 * check accepts, outside the static directory), matching a route on the lane ({@link LaneRoutes}) before any
 * route the lane cannot decide. Everything else takes the gateway path unchanged.
 */
final class ProxyLane implements Lane {

	private static final AttemptLog NO_LOG = new AttemptLog() {

		@Override
		public int attemptStarted(String address) {
			return 0;
		}

		@Override
		public void attemptResponded(int index, int status) {
		}

		@Override
		public void attemptFailed(int index, int status) {
		}

		@Override
		public void bodySent(int bytes) {
		}

	};

	private final UpstreamCall call;

	private final LaneHeaders headers;

	private final TrustedProxyAddresses trustedProxies;

	/** The static locations' paths, never proxied here; null: static files are off. */
	@Nullable
	private final StaticPaths staticPaths;

	private final LaneRecorder recorder;

	private final LaneFallback fallback;

	@Nullable
	private final AccessLog accessLog;

	private volatile LaneRoutes routes = LaneRoutes.NONE;

	/** Requests served, for the upstreams endpoint and the parity tests. */
	private final LongAdder served = new LongAdder();

	ProxyLane(UpstreamCall call, LaneHeaders headers, TrustedProxyAddresses trustedProxies, @Nullable StaticPaths staticPaths,
			LaneRecorder recorder, LaneFallback fallback, @Nullable AccessLog accessLog) {
		this.call = call;
		this.headers = headers;
		this.trustedProxies = trustedProxies;
		this.staticPaths = staticPaths;
		this.recorder = recorder;
		this.fallback = fallback;
		this.accessLog = accessLog;
	}

	void routes(LaneRoutes routes) {
		this.routes = routes;
	}

	LaneRoutes routes() {
		return this.routes;
	}

	/** Requests this lane served since start-up. */
	long served() {
		return this.served.sum();
	}

	UpstreamCall call() {
		return this.call;
	}

	@Override
	public boolean takes(HttpServerRequest request) {
		if (!HttpMethod.GET.equals(request.method()) || this.routes.isEmpty()) {
			return false;
		}
		String target = request.uri();
		if (!isPlain(target) || (this.staticPaths != null && this.staticPaths.mayServe(target))
				|| RequestTargetRules.refused(target)) {
			return false;
		}
		HttpHeaders headers = request.requestHeaders();
		if (hasBody(headers) || headers.contains(HttpHeaderNames.TRANSFER_ENCODING)
				|| headers.contains(HttpHeaderNames.UPGRADE) || headers.contains(HttpHeaderNames.EXPECT)
				|| headers.contains(HttpHeaderNames.CONTENT_TYPE) || !this.headers.accepts(headers)
				|| this.trustedProxies.mayBeTrustedPeer(request.remoteAddress())) {
			return false;
		}
		return this.routes.match("GET", target) != null;
	}

	/** A {@code Content-Length} other than one {@code 0} (Java's HTTP client sends {@code 0} on every GET). */
	private static boolean hasBody(HttpHeaders headers) {
		if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
			return false;
		}
		java.util.List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
		return lengths.size() != 1 || !"0".equals(lengths.get(0));
	}

	/** Origin-form, printable ASCII, no fragment: what {@code java.net.URI} takes as the gateway path's. */
	private static boolean isPlain(String target) {
		if (target.isEmpty() || target.charAt(0) != '/') {
			return false;
		}
		for (int i = 0; i < target.length(); i++) {
			char c = target.charAt(i);
			if (c <= 0x20 || c >= 0x7f || c == '#' || c == '\\' || c == '"' || c == '<' || c == '>' || c == '^'
					|| c == '`' || c == '{' || c == '|' || c == '}') {
				return false;
			}
		}
		return true;
	}

	@Override
	public Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
		LaneRoute route = this.routes.match("GET", request.uri());
		if (route == null) {
			// Routes were refreshed between takes() and here: the gateway path answers, as it would have.
			return this.fallback.serve(request, response);
		}
		long start = System.nanoTime();
		this.served.increment();
		InetSocketAddress remote = request.remoteAddress();
		String client = NetUtil.toAddressString(remote.getAddress());
		boolean https = "https".equals(request.scheme());
		return this.recorder.handled(handled -> {
			Mono<Void> served = (this.accessLog != null)
					? this.accessLog.proxied(log -> proxied(route, request, response, client, https, log, handled),
							request, response)
					: proxied(route, request, response, client, https, NO_LOG, handled);
			return (route.timer() != null) ? served.doFinally(signal -> timed(route, response, signal, start))
					: served;
		}, request, response);
	}

	private Mono<Void> proxied(LaneRoute route, HttpServerRequest request, HttpServerResponse response,
			String client, boolean https, AttemptLog log, LaneRecorder.Handled handled) {
		return this.call.serve(route.target(), request, response, client, https, log, handled);
	}

	/** As Spring Cloud Gateway's metrics filter, which records once the response is on its way, not on a cancel. */
	private static void timed(LaneRoute route, HttpServerResponse response, SignalType signal, long start) {
		if (signal != SignalType.CANCEL || response.hasSentHeaders()) {
			route.timer().record(response.status().code(), System.nanoTime() - start);
		}
	}

}
