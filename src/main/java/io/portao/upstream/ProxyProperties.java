package io.portao.upstream;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How proxied and static requests reach their handler ({@code portao.proxy.*}).
 *
 * @param lane the lane below Spring WebFlux: requests it can serve exactly are answered from Reactor Netty's own
 * routes, ahead of Spring's HTTP adapter (docs/performance.md, "Lanes")
 * @param loopAffinePools whether each event loop keeps its own upstream connection pool, so that a pooled connection
 * never hops between event loops (Armeria's and Zuul 2's design; default true). Off: one pool shared by every
 * loop, Reactor Netty's default, with up to half as many idle upstream connections on a 2-core machine
 */
@ConfigurationProperties(ProxyProperties.PREFIX)
public record ProxyProperties(@DefaultValue Lane lane, @DefaultValue("true") boolean loopAffinePools) {

	public static final String PREFIX = "portao.proxy";

	/**
	 * The lane below Spring WebFlux.
	 *
	 * @param enabled whether requests the lanes can serve exactly skip Spring's HTTP adapter, web filters and
	 * gateway filter chain (default true): plain {@code GET}s of static files, and {@code GET}s without a body on
	 * {@code lb://} routes with no filters and {@code Path}/{@code Method} predicates (each route's path is logged
	 * at start-up and shown in {@code /actuator/upstreams}); off, every request takes the full Spring Cloud Gateway
	 * path (the baseline of {@code bench/run.sh --lane-off-baseline})
	 * @param upstreamChannels whether the proxy lane reaches instances over its own HTTP/1.1 keep-alive connections,
	 * pooled per event loop (plain Netty), instead of Reactor Netty's {@code HttpClient}, whose per-request layers
	 * cost about a quarter of a lane request's CPU (docs/performance.md, eleventh round). Only instances that
	 * client would reach the same way: plain HTTP to an IP address, the client configured without proxy, wiretap
	 * or other protocols than HTTP/1.1, and no {@code HttpClientCustomizer} bean but Portão's; any other takes the
	 * client. Default true; the connection-pool meters ({@code reactor.netty.connection.provider.*}) count these
	 * connections under {@code id="lane"}
	 */
	public record Lane(@DefaultValue("true") boolean enabled, @DefaultValue("true") boolean upstreamChannels) {

	}

}
