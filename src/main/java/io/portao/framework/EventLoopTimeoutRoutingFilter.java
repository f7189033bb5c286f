package io.portao.framework;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.handler.timeout.ReadTimeoutException;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.util.context.Context;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.cloud.gateway.support.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

import io.portao.errors.GatewayTimeout;
import io.portao.upstream.AttemptResult;
import io.portao.upstream.NextUpstreamPolicy;
import io.portao.upstream.RouteCopies;
import io.portao.upstream.UpstreamTimeouts;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

/**
 * Spring Cloud Gateway's {@link NettyRoutingFilter} with the response timeout (the route's {@code response-timeout}
 * metadata, else {@code httpclient.response-timeout}) run as Reactor Netty's per-request
 * {@link HttpClientRequest#responseTimeout}, a {@code ReadTimeoutHandler} on the upstream connection's own event
 * loop. Spring's filter applies it as {@code Flux.timeout}, which schedules and cancels a task on Reactor's shared
 * {@code parallel} scheduler per request: a {@code ScheduledThreadPoolExecutor} whose lock every event loop takes
 * (0.8-4.2 % of the event loops' samples, event loops parked on it under load; docs/performance.md).
 *
 * <p>What stays as it was: the timeout's value and where it comes from; the failure, Spring's own
 * {@code ResponseStatusException(504, "Response took longer than timeout: …")} with its {@code TimeoutException}
 * cause, so that {@link NextUpstreamPolicy#isResponseTimeout}, {@link AttemptResult.Outcome#TIMEOUT}, the 504 and the
 * cause on the upstreams endpoint do not change; and the timeout covers the response headers only: the handler is
 * removed when they arrive ({@code idle-timeout} covers the body, {@link UpstreamTimeouts#watchIdle}). What
 * changes: it starts when the request has been sent rather than when the attempt is subscribed (nginx's
 * {@code proxy_read_timeout} also counts from the request's end); the connect timeout is separate anyway.
 *
 * <p>Spring's timeout is switched off by handing the parent properties without a response timeout and, for a route
 * whose metadata sets one, a copy of the route with {@code response-timeout: -1} while the parent reads it.
 */
public class EventLoopTimeoutRoutingFilter extends NettyRoutingFilter {

	/** Reactor context key under which the attempt's response timeout reaches {@link #applyTimeout}. */
	private static final String TIMEOUT_KEY = EventLoopTimeoutRoutingFilter.class.getName() + ".responseTimeout";

	/** Reactor context key of the attempt's {@link RequestSent}. */
	private static final String SENT_KEY = EventLoopTimeoutRoutingFilter.class.getName() + ".sent";

	private final HttpClientProperties properties;

	/** Per route id: the route, its copy without a response timeout and the timeout it had. */
	private final Map<String, Untimed> untimed = new ConcurrentHashMap<>();

	private final LoopAffineClients clients;

	public EventLoopTimeoutRoutingFilter(HttpClient httpClient,
			ObjectProvider<List<HttpHeadersFilter>> headersFilters, HttpClientProperties properties,
			LoopAffineClients clients) {
		super(httpClient.doOnRequest(EventLoopTimeoutRoutingFilter::applyTimeout)
			.doAfterRequest(EventLoopTimeoutRoutingFilter::markSent), headersFilters,
				new WithoutResponseTimeout(properties));
		this.properties = properties;
		this.clients = clients;
	}

	/**
	 * The parent's client for the route (its connect timeout), on the calling event loop's own pool
	 * ({@link LoopAffineClients}): derived once per loop and connect timeout instead of copied per request.
	 */
	@Override
	protected HttpClient getHttpClient(Route route, ServerWebExchange exchange) {
		Object connectTimeout = route.getMetadata().get(RouteMetadataUtils.CONNECT_TIMEOUT_ATTR);
		if (connectTimeout == null) {
			connectTimeout = this.properties.getConnectTimeout();
		}
		return this.clients.client(connectTimeout, key -> super.getHttpClient(route, exchange));
	}

	/**
	 * The client and pool this filter uses for {@code route} on the calling event loop, for the proxy lane
	 * ({@code proxy.UpstreamCall}), so that both paths share one pool per loop and connect timeout.
	 */
	public HttpClient client(Route route) {
		return getHttpClient(route, null);
	}

	/** The response timeout this filter applies to {@code route} (its metadata, else the global one), or null. */
	public Duration responseTimeout(Route route) {
		Untimed untimed = untimed(route);
		return (untimed != null) ? untimed.timeout : this.properties.getResponseTimeout();
	}

	/** The failure of an attempt whose response headers did not arrive within {@code timeout}. */
	public static Throwable responseTimedOut(Throwable error, Duration timeout) {
		return (error instanceof ReadTimeoutException) ? timedOut(timeout) : error;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Route route = exchange.getAttribute(GATEWAY_ROUTE_ATTR);
		if (route == null) {
			return super.filter(exchange, chain);
		}
		Untimed untimed = untimed(route);
		Duration timeout = (untimed != null) ? untimed.timeout : this.properties.getResponseTimeout();
		Mono<Void> routed = (untimed != null) ? routeAs(untimed, exchange, chain) : super.filter(exchange, chain);
		// A ReadTimeoutException before the request was sent whole is not the upstream's: it is the server's body
		// read timeout (portao.limits.body-read-timeout, nginx client_body_timeout) failing the request body being
		// relayed. With the upstream connection on the same event loop it reaches this filter before Reactor Netty
		// has answered the client, so it is answered here as nginx answers it: 408.
		RequestSent sent = new RequestSent();
		if (timeout == null) {
			return routed.onErrorMap(ReadTimeoutException.class, error -> sent.done ? error : bodyTimedOut())
				.contextWrite(Context.of(SENT_KEY, sent));
		}
		return routed.doOnSuccess(headers -> headersArrived(exchange))
			.onErrorMap(ReadTimeoutException.class, error -> sent.done ? timedOut(timeout) : bodyTimedOut())
			.contextWrite(Context.of(TIMEOUT_KEY, timeout, SENT_KEY, sent));
	}

	private static void markSent(HttpClientRequest request, Connection connection) {
		RequestSent sent = request.currentContextView().getOrDefault(SENT_KEY, null);
		if (sent != null) {
			sent.done = true;
		}
	}

	/** The client stopped sending its body for longer than the body read timeout. */
	static ResponseStatusException bodyTimedOut() {
		return new ResponseStatusException(HttpStatus.REQUEST_TIMEOUT, "Request body not received in time");
	}

	/** Whether the request went out whole: set on the upstream connection's event loop, read on the same one. */
	private static final class RequestSent {

		volatile boolean done;

	}

	/** The parent reads the route while it assembles the call, so the copy is in place only meanwhile. */
	private Mono<Void> routeAs(Untimed untimed, ServerWebExchange exchange, GatewayFilterChain chain) {
		exchange.getAttributes().put(GATEWAY_ROUTE_ATTR, untimed.routed);
		try {
			return super.filter(exchange, chain);
		}
		finally {
			exchange.getAttributes().put(GATEWAY_ROUTE_ATTR, untimed.original);
		}
	}

	private static void applyTimeout(HttpClientRequest request, Connection connection) {
		Duration timeout = request.currentContextView().getOrDefault(TIMEOUT_KEY, null);
		if (timeout != null) {
			request.responseTimeout(timeout);
		}
	}

	/** The timeout is to the response headers: the body's reads are watched by {@code idle-timeout}. */
	private static void headersArrived(ServerWebExchange exchange) {
		Connection connection = exchange.getAttribute(CLIENT_RESPONSE_CONN_ATTR);
		if (connection != null) {
			connection.removeHandler(NettyPipeline.ResponseTimeoutHandler);
		}
	}

	/** What Spring's filter fails with when its timeout expires. */
	static ResponseStatusException timedOut(Duration timeout) {
		return GatewayTimeout.of(new TimeoutException("Response took longer than timeout: " + timeout));
	}

	/** The route without its response-timeout metadata, or null when it has none (the global one applies). */
	private Untimed untimed(Route route) {
		if (!route.getMetadata().containsKey(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR)) {
			return null;
		}
		Untimed known = this.untimed.get(route.getId());
		if (known != null && known.original == route) {
			return known;
		}
		Untimed made = new Untimed(route, withoutTimeout(route), timeoutOf(route));
		this.untimed.put(route.getId(), made);
		return made;
	}

	/** As Spring's filter reads it: a negative value means none, an unparsable one the global value. */
	private Duration timeoutOf(Route route) {
		Object value = route.getMetadata().get(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR);
		try {
			long millis = (value instanceof Number number) ? number.longValue() : Long.parseLong(String.valueOf(value));
			return (millis >= 0) ? Duration.ofMillis(millis) : null;
		}
		catch (NumberFormatException ex) {
			return this.properties.getResponseTimeout();
		}
	}

	private static Route withoutTimeout(Route route) {
		Map<String, Object> metadata = new HashMap<>(route.getMetadata());
		metadata.put(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, -1);
		return RouteCopies.withMetadata(route, metadata);
	}

	private record Untimed(Route original, Route routed, Duration timeout) {

	}

	/** The parent's view of the properties: its connect timeout is read through, its response timeout is ours. */
	private static final class WithoutResponseTimeout extends HttpClientProperties {

		private final HttpClientProperties properties;

		WithoutResponseTimeout(HttpClientProperties properties) {
			this.properties = properties;
		}

		@Override
		public Integer getConnectTimeout() {
			return this.properties.getConnectTimeout();
		}

		@Override
		public Duration getResponseTimeout() {
			return null;
		}

	}

}
