package io.portao.framework;

import java.util.List;

import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClientsProperties;
import org.springframework.cloud.gateway.config.GatewayLoadBalancerProperties;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClientSpecification;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.portao.upstream.ProxyProperties;

/**
 * The beans by which Portão replaces pieces of Spring Cloud Gateway and Reactor Netty. Each is named, with what it
 * replaces, in this package's {@code package-info.java}; {@code FrameworkVersionsTests} fails when the framework
 * versions they were checked against change.
 */
@Configuration(proxyBeanMethods = false)
public class FrameworkOverridesConfiguration {

	/** Static: a post-processor must exist before the bean it replaces (SCG's {@code routingFilter}). */
	@Bean
	static EventLoopResponseTimeout eventLoopResponseTimeout(ObjectProvider<HttpClient> httpClient,
			ObjectProvider<List<HttpHeadersFilter>> headersFilters, ObjectProvider<HttpClientProperties> properties,
			ObjectProvider<ProxyProperties> proxy) {
		return new EventLoopResponseTimeout(httpClient, headersFilters, properties, proxy);
	}

	/**
	 * Replaces Spring Cloud LoadBalancer's factory (it is {@code @ConditionalOnMissingBean}) with one that also works
	 * under Spring AOT. Declared as the subclass: Spring Cloud's AOT step rewraps a bean declared as
	 * {@code LoadBalancerClientFactory} into a new instance of its own class.
	 */
	@Bean
	AotLoadBalancerClientFactory loadBalancerClientFactory(LoadBalancerClientsProperties properties,
			ObjectProvider<List<LoadBalancerClientSpecification>> configurations) {
		return new AotLoadBalancerClientFactory(properties, configurations.getIfAvailable(List::of));
	}

	/** Replaces Spring Cloud Gateway's {@code ReactiveLoadBalancerClientFilter} (it is conditional on its type). */
	@Bean
	LeanLoadBalancerClientFilter leanLoadBalancerClientFilter(LoadBalancerClientFactory clientFactory,
			GatewayLoadBalancerProperties properties) {
		return new LeanLoadBalancerClientFilter(clientFactory, properties);
	}

	/** Static: a post-processor must exist before the beans it post-processes (SCG's header filters). */
	@Bean
	static CopyOnlyWhenNeeded copyOnlyWhenNeeded() {
		return new CopyOnlyWhenNeeded();
	}

	@Bean
	NoClientDefaultHeaders noClientDefaultHeaders() {
		return new NoClientDefaultHeaders();
	}

	/** Static: a post-processor must exist before the beans it post-processes (the gateway's predicates). */
	@Bean
	static CaseInsensitiveHosts caseInsensitiveHosts() {
		return new CaseInsensitiveHosts();
	}

}
