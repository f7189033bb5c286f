package io.portao.proxy;

import java.net.URI;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryProperties;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;

/**
 * Creates the Spring Cloud LoadBalancer child context of every upstream at start-up, before the public port
 * accepts connections. Spring Cloud creates it on the first request to that upstream, on the event loop: it reads
 * class files from the jar and refreshes an application context there (BlockHound's {@code RandomAccessFile#readBytes}
 * in {@code ConfigurationClassParser}), stalling every connection of that loop for tens of milliseconds, and again
 * on every request while it keeps failing. {@code spring.cloud.loadbalancer.eager-load.clients} does the same for
 * a list of names given by hand; here the names come from the configuration itself: every {@code lb://} route and
 * every service of the simple discovery client.
 */
public record EagerLoadBalancerContexts(ObjectProvider<LoadBalancerClientFactory> clientFactory,
		GatewayProperties gateway, SimpleDiscoveryProperties discovery) implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(EagerLoadBalancerContexts.class);

	@Override
	public void afterSingletonsInstantiated() {
		LoadBalancerClientFactory factory = this.clientFactory.getIfAvailable();
		if (factory == null) {
			return;
		}
		for (String serviceId : serviceIds()) {
			// The balancer and the instance-list supplier are the beans each request asks the child context for.
			factory.getInstance(serviceId, ReactorServiceInstanceLoadBalancer.class);
			factory.getInstance(serviceId, ServiceInstanceListSupplier.class);
		}
	}

	Set<String> serviceIds() {
		Set<String> ids = new TreeSet<>();
		if (this.gateway != null) {
			for (RouteDefinition route : this.gateway.getRoutes()) {
				URI uri = route.getUri();
				if (uri != null && "lb".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null) {
					ids.add(uri.getHost());
				}
			}
		}
		if (this.discovery != null) {
			ids.addAll(this.discovery.getInstances().keySet());
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Load balancer contexts created at start-up: " + ids);
		}
		return ids;
	}

}
