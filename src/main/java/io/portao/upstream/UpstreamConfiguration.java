package io.portao.upstream;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Upstreams: per-instance state, nginx-style round robin with failover for every {@code lb://} route.
 */
@Configuration(proxyBeanMethods = false)
@LoadBalancerClients(defaultConfiguration = UpstreamLoadBalancerConfiguration.class)
public class UpstreamConfiguration {

	@Bean
	UpstreamRegistry upstreamRegistry(UpstreamProperties properties, ObjectProvider<Clock> clock) {
		return new UpstreamRegistry(properties, clock.getIfAvailable(Clock::systemUTC));
	}

	@Bean
	UpstreamDiscoverySync upstreamDiscoverySync(ReactiveDiscoveryClient discovery, UpstreamRegistry registry) {
		return new UpstreamDiscoverySync(discovery, registry);
	}

	@Bean
	NextUpstreamFilter nextUpstreamFilter(UpstreamRegistry registry) {
		return new NextUpstreamFilter(registry);
	}

	@Bean
	AttemptTrackingFilter attemptTrackingFilter(UpstreamRegistry registry) {
		return new AttemptTrackingFilter(registry);
	}

	@Bean
	AttemptCompletionWebFilter attemptCompletionWebFilter() {
		return new AttemptCompletionWebFilter();
	}

}
