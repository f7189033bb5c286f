package io.portao.proxy;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryProperties;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.portao.headers.TrustedProxiesProperties;

/**
 * The proxy's hot path: work that Spring Cloud would otherwise do per request, or first on a request, done once
 * at start-up (docs/performance.md).
 */
@Configuration(proxyBeanMethods = false)
public class ProxyConfiguration {

	@Bean
	EagerLoadBalancerContexts eagerLoadBalancerContexts(ObjectProvider<LoadBalancerClientFactory> clientFactory,
			ObjectProvider<GatewayProperties> gateway, ObjectProvider<SimpleDiscoveryProperties> discovery) {
		return new EagerLoadBalancerContexts(clientFactory, gateway.getIfAvailable(), discovery.getIfAvailable());
	}

	/** Which route takes the proxy lane: compiled for the lane, and reported with the lane off too. */
	@Bean
	ProxyLaneRoutes proxyLaneRoutes(ApplicationContext context, ObjectProvider<ProxyLane> lane,
			ObjectProvider<RouteLocator> routes, ObjectProvider<RouteDefinitionLocator> definitions,
			TrustedProxiesProperties trustedProxies) {
		return new ProxyLaneRoutes(context, lane, routes, definitions, trustedProxies);
	}

	@Bean
	NoCleartextHttp2 noCleartextHttp2() {
		return new NoCleartextHttp2();
	}

}
