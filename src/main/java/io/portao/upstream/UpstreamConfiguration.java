package io.portao.upstream;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryProperties;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Upstreams: per-instance state, balancing policies, passive ejection, active health checks and failover for
 * every {@code lb://} route.
 */
@Configuration(proxyBeanMethods = false)
@LoadBalancerClients(defaultConfiguration = UpstreamLoadBalancerConfiguration.class)
@Import({ UpstreamSettingsReload.class, InstanceAttemptFilter.class, AttemptCompletionWebFilter.class })
public class UpstreamConfiguration {

	/**
	 * Binds (and so checks) every {@code portao.upstreams.<name>} block now, so that a bad value stops start-up
	 * before any port is bound rather than failing the first request to that upstream.
	 */
	@Bean
	UpstreamPropertiesBinder upstreamPropertiesBinder(ConfigurableEnvironment environment,
			UpstreamProperties defaults) {
		UpstreamPropertiesBinder binder = new UpstreamPropertiesBinder(environment);
		binder.configuredNames().forEach(binder::forUpstream);
		return binder;
	}

	@Bean
	UpstreamRegistry upstreamRegistry(UpstreamPropertiesBinder binder, ObjectProvider<Clock> clock,
			ObjectProvider<SimpleReactiveDiscoveryProperties> simpleDiscovery) {
		simpleDiscovery.ifAvailable(InstanceMetadataCheck::check);
		return new UpstreamRegistry(binder::forUpstream, clock.getIfAvailable(Clock::systemUTC));
	}

	@Bean
	UpstreamDiscoverySync upstreamDiscoverySync(ReactiveDiscoveryClient discovery, UpstreamRegistry registry,
			ObjectProvider<RouteLocator> routes) {
		return new UpstreamDiscoverySync(discovery, registry,
				() -> UpstreamDiscoverySync.routedUpstreams(routes.getObject()));
	}

}
