package io.portao.upstream;

import java.time.Clock;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClientsProperties;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryProperties;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClientSpecification;
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

	/**
	 * In place of Spring Cloud's (which is {@code @ConditionalOnMissingBean}): the same factory, that also works
	 * under Spring AOT (see {@link UpstreamLoadBalancerClientFactory}). Declared as the subclass: Spring Cloud's AOT
	 * step rewraps a bean declared as {@code LoadBalancerClientFactory} into a new instance of its own class.
	 */
	@Bean
	UpstreamLoadBalancerClientFactory loadBalancerClientFactory(LoadBalancerClientsProperties properties,
			ObjectProvider<List<LoadBalancerClientSpecification>> configurations) {
		return new UpstreamLoadBalancerClientFactory(properties, configurations.getIfAvailable(List::of));
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
