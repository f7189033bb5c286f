package io.portao.upstream;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.handler.timeout.ReadTimeoutHandler;
import reactor.netty.Connection;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.web.server.ServerWebExchange;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

/**
 * An upstream's own timeouts, through the mechanisms Spring Cloud Gateway already has: connect and response
 * timeouts as the route metadata {@code connect-timeout}/{@code response-timeout} that {@code NettyRoutingFilter}
 * reads (a route's own metadata wins), and the idle time between body reads as a Netty
 * {@link ReadTimeoutHandler} on the upstream connection once the headers arrived (Reactor Netty removes it when the
 * connection goes back to the pool). The response timeout itself runs on the connection's event loop
 * ({@code framework.EventLoopTimeoutRoutingFilter}), which removes it when the headers arrive, so the body is
 * watched by this idle timeout only.
 */
public final class UpstreamTimeouts {

	/** The pipeline name of the idle timeout's handler, on either kind of upstream connection. */
	public static final String IDLE_HANDLER = "portao.upstreamIdleTimeout";

	/**
	 * Adjusted copies by route id, with the route and properties they were made from (routes are replaced on refresh,
	 * an upstream's properties on a reload).
	 */
	private final Map<String, Adjusted> adjusted = new ConcurrentHashMap<>();

	/** Points the exchange at a copy of its route carrying the upstream's connect and response timeouts. */
	public void applyTo(ServerWebExchange exchange, UpstreamProperties settings) {
		Route route = exchange.getAttribute(GATEWAY_ROUTE_ATTR);
		if (route == null) {
			return;
		}
		Route adjusted = adjusted(route, settings);
		if (adjusted != route) {
			exchange.getAttributes().put(GATEWAY_ROUTE_ATTR, adjusted);
		}
	}

	/** {@code route} with the upstream's connect and response timeouts as metadata (its own win), or itself. */
	public Route adjusted(Route route, UpstreamProperties settings) {
		if (settings.connectTimeout() == null && settings.responseTimeout() == null) {
			return route;
		}
		Adjusted copy = this.adjusted.get(route.getId());
		if (copy == null || copy.from != route || copy.settings != settings) {
			copy = new Adjusted(route, settings, withTimeouts(route, settings));
			this.adjusted.put(route.getId(), copy);
		}
		return copy.to;
	}

	private record Adjusted(Route from, UpstreamProperties settings, Route to) {
	}

	private static Route withTimeouts(Route route, UpstreamProperties settings) {
		Map<String, Object> metadata = new HashMap<>();
		putMillis(metadata, RouteMetadataUtils.CONNECT_TIMEOUT_ATTR, settings.connectTimeout());
		putMillis(metadata, RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, settings.responseTimeout());
		metadata.putAll(route.getMetadata());
		return RouteCopies.withMetadata(route, metadata);
	}

	private static void putMillis(Map<String, Object> metadata, String key, Duration value) {
		if (value != null) {
			metadata.put(key, (int) Math.min(value.toMillis(), Integer.MAX_VALUE));
		}
	}

	/** nginx {@code proxy_read_timeout} between two reads of the response body. */
	public static void watchIdle(ServerWebExchange exchange, UpstreamProperties settings) {
		watchIdle((Connection) exchange.getAttribute(CLIENT_RESPONSE_CONN_ATTR), settings);
	}

	/** nginx {@code proxy_read_timeout} between two reads of the response body on {@code connection}. */
	public static void watchIdle(Connection connection, UpstreamProperties settings) {
		Duration idle = settings.idleTimeout();
		if (idle.isZero() || connection == null) {
			return;
		}
		connection.addHandlerLast(IDLE_HANDLER, idleHandler(idle));
	}

	/** The handler that fails a body read after {@code idle} of silence ({@code ReadTimeoutException}). */
	public static ReadTimeoutHandler idleHandler(Duration idle) {
		return new ReadTimeoutHandler(idle.toMillis(), TimeUnit.MILLISECONDS);
	}

}
