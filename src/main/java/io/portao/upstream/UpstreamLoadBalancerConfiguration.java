package io.portao.upstream;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The balancer of each upstream's own Spring Cloud LoadBalancer context. Not a {@code @Configuration}: it is
 * applied per service through {@code @LoadBalancerClients(defaultConfiguration = ...)}, and the instance list
 * supplier stays Spring Cloud's default (discovery client plus cache). Public because Spring AOT's generated
 * {@code LoadBalancerClientSpecification__BeanDefinitions}, in Spring Cloud's package, names it.
 */
public class UpstreamLoadBalancerConfiguration {

	@Bean
	ReactorServiceInstanceLoadBalancer upstreamLoadBalancer(Environment environment,
			ObjectProvider<ServiceInstanceListSupplier> suppliers, UpstreamRegistry registry) {
		String serviceId = environment.getProperty(LoadBalancerClientFactory.PROPERTY_NAME);
		return new UpstreamLoadBalancer(suppliers, registry, serviceId);
	}

}
