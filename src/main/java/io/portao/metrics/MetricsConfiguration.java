package io.portao.metrics;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.portao.upstream.UpstreamRegistry;

/**
 * Per-instance observability, all reading {@code upstream}'s state and never steering it: the meters, the
 * {@code upstreams} endpoint and health component. The status page is in {@link StatusPageConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

	@Bean
	UpstreamMetrics upstreamMetrics(MeterRegistry meterRegistry, UpstreamRegistry registry) {
		UpstreamMetrics metrics = new UpstreamMetrics(meterRegistry, registry);
		registry.addListener(metrics);
		return metrics;
	}

	@Bean
	KnownInstances knownInstances(UpstreamRegistry registry, ObjectProvider<DiscoveryClient> discovery,
			ObjectProvider<RouteLocator> routes, UpstreamMetrics metrics) {
		return new KnownInstances(registry, discovery, routes, metrics);
	}

	/** Meters for every configured instance from the start, before any request picked it. */
	@Bean
	ApplicationListener<ApplicationReadyEvent> registerKnownInstances(KnownInstances known) {
		return event -> known.discover();
	}

	@Bean
	UpstreamsEndpoint upstreamsEndpoint(KnownInstances known, UpstreamRegistry registry, UpstreamMetrics metrics) {
		return new UpstreamsEndpoint(known, registry, metrics);
	}

	@Bean
	UpstreamsHealthIndicator upstreamsHealthIndicator(KnownInstances known, UpstreamRegistry registry) {
		return new UpstreamsHealthIndicator(known, registry);
	}

}
