package io.portao.proxy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.support.Netty4HeadersAdapter;

import io.portao.errors.UpstreamErrorHandler;
import io.portao.framework.EventLoopTimeoutRoutingFilter;
import io.portao.framework.LeanLoadBalancerClientFilter;
import io.portao.headers.LaneHeaders;
import io.portao.upstream.AttemptLog;
import io.portao.upstream.InstanceAttempt;
import io.portao.upstream.InstanceState;
import io.portao.upstream.failover.Failover;
import io.portao.upstream.NextUpstreamPolicy;
import io.portao.upstream.RequestAttempts;
import io.portao.upstream.StreamingMediaTypes;
import io.portao.upstream.TimeoutEjectionRelease;
import io.portao.upstream.Upstream;
import io.portao.upstream.UpstreamLoadBalancer;
import io.portao.upstream.UpstreamRegistry;
import io.portao.upstream.UpstreamTimeouts;

/**
 * One proxied request on the proxy lane, from the balancer's first choice to the last body byte: the gateway
 * path's behaviour through the same classes, without an exchange. The balancer ({@link UpstreamLoadBalancer}, via
 * the service {@link LeanLoadBalancerClientFilter} resolved), per-instance accounting ({@link UpstreamRegistry},
 * {@link RequestAttempts}, {@link InstanceAttempt}), the early release on an ejection ({@link TimeoutEjectionRelease}),
 * {@code proxy_next_upstream} and the retry budget ({@link Failover}), the client, pool and response timeout
 * ({@link EventLoopTimeoutRoutingFilter}; for instances at an IP address over plain HTTP the lane's own
 * {@link UpstreamChannels} instead of that client, with the same timeouts), the idle timeout ({@link UpstreamTimeouts}), headers
 * ({@link LaneHeaders}) and error answers ({@link UpstreamErrorHandler#answer}).
 *
 * <p>The lane only hands over requests without a body ({@code GET}), so nothing has to be replayed.
 */
public final class UpstreamCall {

	private final UpstreamRegistry registry;

	private final Failover failover;

	private final LeanLoadBalancerClientFilter balancers;

	private final EventLoopTimeoutRoutingFilter routing;

	private final LaneHeaders headers;

	private final UpstreamTimeouts timeouts = new UpstreamTimeouts();

	private final StreamingMediaTypes streaming;

	/** The lane's own upstream connections, or null: every instance through Reactor Netty's client. */
	@Nullable
	private final UpstreamChannels channels;

	UpstreamCall(UpstreamRegistry registry, LeanLoadBalancerClientFilter balancers,
			EventLoopTimeoutRoutingFilter routing, LaneHeaders headers, List<MediaType> streaming,
			@Nullable UpstreamChannels channels) {
		this.registry = registry;
		this.channels = channels;
		this.streaming = new StreamingMediaTypes(streaming);
		this.failover = new Failover(registry);
		this.balancers = balancers;
		this.routing = routing;
		this.headers = headers;
	}

	/**
	 * The call for the proxy lane, or {@code null} when {@code routing} is not Portão's
	 * {@link EventLoopTimeoutRoutingFilter} (its client, pools and timeout are what the lane shares).
	 */
	@Nullable
	static UpstreamCall create(UpstreamRegistry registry, LeanLoadBalancerClientFilter balancers,
			Object routing, LaneHeaders headers, List<MediaType> streaming, @Nullable UpstreamChannels channels) {
		return (routing instanceof EventLoopTimeoutRoutingFilter ours)
				? new UpstreamCall(registry, balancers, ours, headers, streaming, channels) : null;
	}

	/** The route's upstream as the lane calls it, or {@code null} when its service has no balancer yet. */
	@Nullable
	public Target target(Route route) {
		URI uri = route.getUri();
		String name = uri.getHost();
		LeanLoadBalancerClientFilter.Service service = this.balancers.service(name);
		if (service == null || !service.lifecycles().isEmpty()) {
			return null;
		}
		Upstream upstream = this.registry.upstream(name);
		Route adjusted = this.timeouts.adjusted(route, upstream.settings());
		return new Target(name, service, adjusted, this.routing.responseTimeout(adjusted));
	}

	/**
	 * Serves {@code request} (no body) from {@code target}'s instances, relays the answer to {@code response},
	 * and notes each attempt in {@code log}; {@code client} is the client address for {@code X-Real-IP}. An error
	 * it answers itself (502, 503, 504) is handed to {@code handled}, as Spring's exception handling keeps it for
	 * the request's observation.
	 */
	public Mono<Void> serve(Target target, HttpServerRequest request, HttpServerResponse response, String client,
			boolean https, AttemptLog log, java.util.function.Consumer<Throwable> handled) {
		Upstream upstream = this.registry.upstream(target.upstream);
		long now = this.registry.now();
		upstream.retryBudget().deposit(now);
		HttpMethod method = HttpMethod.valueOf(request.method().name());
		RequestAttempts attempts = new RequestAttempts(upstream.name(), now,
				NextUpstreamPolicy.passesOnTimeouts(upstream.settings().nextUpstream(), method, false));
		Call call = new Call(target, upstream, attempts, request, method, client, https, log);
		return attempt(call).onErrorResume(error -> answer(response, error, log, handled).then(Mono.empty()))
			.flatMap(answered -> relay(call, answered, response))
			.doFinally(attempts::exchangeEnded);
	}

	private Mono<UpstreamAnswer> attempt(Call call) {
		call.authority = null;
		return call.target.service.balancer().choose(call.balancerRequest).flatMap(chosen -> attemptTo(call, chosen))
			.onErrorResume(error -> {
				Throwable answer = this.failover.failed(call.upstream, call.attempts, call.authority, error,
						call.method, false, call.rawPath());
				return (answer != null) ? Mono.error(answer) : attempt(call);
			});
	}

	private Mono<UpstreamAnswer> attemptTo(Call call, Response<ServiceInstance> chosen) {
		if (!chosen.hasServer()) {
			return Mono.error(NotFoundException.create(this.balancers.use404(),
					"Unable to find instance for " + call.target.upstream));
		}
		ServiceInstance instance = chosen.getServer();
		call.authority = Upstream.authority(instance);
		InstanceState state = call.upstream.instance(instance);
		InstanceAttempt attempt = this.registry.start(call.upstream.name(), state);
		call.attempts.started(attempt);
		String host = instance.getHost();
		String address = ((host.indexOf(':') >= 0 && host.charAt(0) != '[') ? "[" + host + "]" : host) + ":"
				+ instance.getPort();
		int index = call.log.attemptStarted(address);
		HttpClient client = this.routing.client(call.target.route);
		String bare = (host.charAt(0) == '[') ? host.substring(1, host.length() - 1) : host;
		boolean overChannel = this.channels != null && UpstreamChannels.reaches(client, bare, instance.isSecure());
		Mono<UpstreamAnswer> sent = overChannel ? sendOverChannel(call, client, bare, instance.getPort(), address)
				: send(call, client, (instance.isSecure() ? "https://" : "http://") + address + call.request.uri());
		if (call.attempts.releasable()) {
			sent = state.release().releasable(sent);
		}
		return sent.doOnNext(answered -> {
			int status = answered.status();
			attempt.responded(status);
			call.log.attemptResponded(index, status);
		}).doOnError(error -> {
			attempt.failed(error);
			call.log.attemptFailed(index, AttemptLog.statusOf(error));
		}).doOnCancel(attempt::cancelled).flatMap(answered -> {
			if (!this.failover.passOn(call.upstream, call.attempts, answered.status(),
					call.authority, call.method, false, call.rawPath())) {
				return Mono.just(answered);
			}
			answered.discard();
			return attempt(call);
		});
	}

	private Mono<UpstreamAnswer> send(Call call, HttpClient client, String url) {
		Duration timeout = call.target.responseTimeout;
		return client.request(io.netty.handler.codec.http.HttpMethod.GET).uri(url).send((out, outbound) -> {
			io.netty.handler.codec.http.HttpHeaders headers = out.requestHeaders();
			headers.clear();
			this.headers.request(call.request.requestHeaders(), headers, call.client, call.https);
			if (timeout != null) {
				out.responseTimeout(timeout);
			}
			// No body (the lane takes none): an empty sender has Reactor Netty write the whole request in one message
			// when it completes, where an empty send(Flux) goes through MonoSendMany and a flush task on the loop.
			return Mono.empty();
		}).responseConnection(
				(response, connection) -> Mono.just((UpstreamAnswer) new UpstreamAnswer.FromClient(response, connection)))
			.next()
			.onErrorMap(error -> (timeout != null) ? EventLoopTimeoutRoutingFilter.responseTimedOut(error, timeout)
					: error);
	}

	/** The request over one of the lane's own channels ({@link UpstreamChannels}), on the request's event loop. */
	private Mono<UpstreamAnswer> sendOverChannel(Call call, HttpClient client, String host, int port,
			String address) {
		DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
				io.netty.handler.codec.http.HttpMethod.GET, call.request.uri(), Unpooled.EMPTY_BUFFER);
		this.headers.request(call.request.requestHeaders(), request.headers(), call.client, call.https);
		Channel server = ((Connection) call.request).channel();
		return this.channels.send(server, client, host, port, address, request, call.target.responseTimeout)
			.map(UpstreamAnswer.FromChannel::new);
	}

	/** The instance's status and headers to the client, then its body, as the gateway's write filter relays it. */
	private Mono<Void> relay(Call call, UpstreamAnswer answered, HttpServerResponse response) {
		response.status(answered.status());
		this.headers.response(answered.headers(), response.responseHeaders());
		Mono<Void> written;
		// Read whole already: Reactor Netty writes a body given as a Mono with the headers, as one message and one
		// write (two otherwise, the headers flushed on their own). HTTP/1.1 only: to an HTTP/1.0 client it writes
		// such a message as HTTP/1.0 without the "connection: close" of a stream (ProxyLaneParityIntegrationTests).
		ByteBuf whole = HttpVersion.HTTP_1_1.equals(call.request.version()) ? answered.whole(response.responseHeaders())
				: null;
		if (whole != null) {
			call.log.bodySent(whole.readableBytes());
			written = response.send(Mono.just(whole)).then();
		}
		else {
			Flux<ByteBuf> body = answered.body(call.upstream.settings())
				.doOnNext(buffer -> call.log.bodySent(buffer.readableBytes()));
			written = this.streaming.includes(response.responseHeaders().get("content-type"))
					? response.send(body, buffer -> true).then() : response.send(body).then();
		}
		return written.doFinally(signal -> {
			if (signal == SignalType.CANCEL || signal == SignalType.ON_ERROR) {
				answered.discard();
			}
		});
	}

	/** The error answer of the gateway path ({@link UpstreamErrorHandler}), or the error itself for anything else. */
	private static Mono<Void> answer(HttpServerResponse response, Throwable error, AttemptLog log,
			java.util.function.Consumer<Throwable> handled) {
		UpstreamErrorHandler.Answer answer = UpstreamErrorHandler.answer(error, true);
		if (answer == null || response.hasSentHeaders()) {
			return Mono.error(error);
		}
		handled.accept(error);
		response.status(HttpResponseStatus.valueOf(answer.status()));
		response.responseHeaders().set("Content-Type", "text/plain").set("Content-Length", answer.body().length);
		log.bodySent(answer.body().length);
		return response.sendByteArray(Mono.just(answer.body())).then();
	}

	/** A route's upstream: its balancer, its route with the upstream's timeouts, the response timeout. */
	public record Target(String upstream, LeanLoadBalancerClientFilter.Service service, Route route,
			@Nullable Duration responseTimeout) {

	}

	/** One client request being passed from instance to instance. */
	private static final class Call {

		final Target target;

		final Upstream upstream;

		final RequestAttempts attempts;

		final HttpServerRequest request;

		final HttpMethod method;

		final String client;

		final boolean https;

		final AttemptLog log;

		final DefaultRequest<RequestDataContext> balancerRequest;

		/** The instance of the attempt in progress, null until the balancer chose. */
		@Nullable
		String authority;

		Call(Target target, Upstream upstream, RequestAttempts attempts, HttpServerRequest request, HttpMethod method,
				String client, boolean https, AttemptLog log) {
			this.target = target;
			this.upstream = upstream;
			this.attempts = attempts;
			this.request = request;
			this.method = method;
			this.client = client;
			this.https = https;
			this.log = log;
			// What the balancer reads (UpstreamLoadBalancer: the tried instances; a supplier may read the headers).
			RequestData data = new RequestData(method, null,
					new org.springframework.http.HttpHeaders(new Netty4HeadersAdapter(request.requestHeaders())), null,
					Map.of(RequestAttempts.ATTRIBUTE, attempts));
			this.balancerRequest = new DefaultRequest<>(new RequestDataContext(data, target.service.hint()));
		}

		String rawPath() {
			String target = this.request.uri();
			int query = target.indexOf('?');
			return (query < 0) ? target : target.substring(0, query);
		}

	}

}
