package io.portao.proxy;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import io.portao.accesslog.AccessLog;
import io.portao.lane.Lane;
import io.portao.lane.LaneFallback;
import io.portao.lane.LaneRecorder;
import io.portao.upstream.AttemptLog;

/**
 * Proxied requests answered from Reactor Netty's routes, ahead of Spring's HTTP adapter ({@link Lane}): no
 * Spring request, no exchange, no web filter or gateway filter chain. What the gateway path does for such a
 * request is done by the same classes ({@link UpstreamCall}); the request is recorded
 * ({@code http.server.requests}, {@code spring.cloud.gateway.requests}) and logged as on the gateway path.
 *
 * <p>Taken: a request {@link LaneAdmission} admits, matching a route on the lane ({@link LaneRoutes}) before any
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

	private final LaneAdmission admission;

	private final LaneRecorder recorder;

	private final LaneFallback fallback;

	@Nullable
	private final AccessLog accessLog;

	private volatile LaneRoutes routes = LaneRoutes.NONE;

	/** Requests served, for the upstreams endpoint and the parity tests. */
	private final LongAdder served = new LongAdder();

	ProxyLane(UpstreamCall call, LaneAdmission admission, LaneRecorder recorder, LaneFallback fallback,
			@Nullable AccessLog accessLog) {
		this.call = call;
		this.admission = admission;
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
		return !this.routes.isEmpty() && this.admission.admits(request)
				&& this.routes.match("GET", request.uri()) != null;
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
