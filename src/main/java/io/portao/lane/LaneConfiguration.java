package io.portao.lane;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandler;

import io.portao.upstream.ProxyProperties;

/**
 * The hook for {@link Lane}s: a {@link LaneRoutes} route provider on the public port's server factory, unless
 * {@code portao.proxy.lane.enabled=false}; then no route provider is registered and every request takes the full
 * Spring path.
 *
 * <p>Public port only. The provider is added by a {@link WebServerFactoryCustomizer}, not registered as a
 * {@code NettyRouteProvider} bean: Boot's server factory takes every such bean of its context and its ancestors,
 * and the management server's child context ({@code management.server.port}) builds its own factory from Boot's
 * auto-configuration. Customizer beans, on the other hand, are applied to the factory of their own context only
 * ({@code WebServerFactoryCustomizerBeanPostProcessor} reads the local beans; the management context copies only
 * Boot's own customizers from its parent). The TLS redirect port ({@code tls.HttpRedirectServer}) is a bare
 * Reactor Netty server with its own handler.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = LaneConfiguration.ENABLED, matchIfMissing = true)
public class LaneConfiguration {

	/** The one switch: off, no request takes a lane. */
	public static final String ENABLED = ProxyProperties.PREFIX + ".lane.enabled";

	@Bean
	WebServerFactoryCustomizer<NettyReactiveWebServerFactory> laneRoutes(ObjectProvider<Lane> lanes) {
		return factory -> factory.addRouteProviders(new LaneRoutes(lanes));
	}

	@Bean
	LaneFallback laneFallback(ObjectProvider<HttpHandler> handler) {
		return new LaneFallback(handler);
	}

}
