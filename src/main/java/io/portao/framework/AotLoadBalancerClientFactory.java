package io.portao.framework;

import java.util.Collections;
import java.util.List;

import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClientsProperties;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClientSpecification;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Spring Cloud's {@link LoadBalancerClientFactory}, able to build an upstream's child context under Spring AOT.
 * <p>
 * Under AOT ({@code -Dspring.aot.enabled=true}) Spring Cloud's factory builds every child context as a plain
 * {@link GenericApplicationContext} and knows how to fill one only for the client names that
 * {@code @LoadBalancerClient} annotations declared at build time (its {@code LoadBalancerChildContextInitializer}).
 * Portão's upstream names are configuration, unknown at build time, so the first {@code lb://} request would fail
 * ("must be an instance of AnnotationConfigRegistry"). Here every child context is an
 * {@link AnnotationConfigApplicationContext}, exactly as Spring Cloud builds it without AOT: one small
 * configuration class parsed per upstream, on its first request. Without AOT nothing differs from Spring Cloud's.
 */
public class AotLoadBalancerClientFactory extends LoadBalancerClientFactory {

	public AotLoadBalancerClientFactory(LoadBalancerClientsProperties properties,
			List<LoadBalancerClientSpecification> configurations) {
		super(properties);
		setConfigurations(configurations);
	}

	/**
	 * Spring Cloud's own name ({@code LoadBalancerClientFactory-<name>}), not this class's: Spring Cloud Gateway's
	 * {@code RouteRefreshListener} recognises a child context's refresh by it and does not refresh the routes
	 * again (which, with the proxy lane's route compilation creating the context, would recurse).
	 */
	@Override
	protected String generateDisplayName(String name) {
		return LoadBalancerClientFactory.class.getSimpleName() + "-" + name;
	}

	@Override
	public GenericApplicationContext buildContext(String name) {
		if (!AotDetector.useGeneratedArtifacts()) {
			return super.buildContext(name);
		}
		// Spring Cloud's buildContext, with the context class it uses without AOT.
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		ClassLoader classLoader = getClass().getClassLoader();
		beanFactory.setBeanClassLoader((getParent() instanceof ConfigurableApplicationContext parent)
				? parent.getBeanFactory().getBeanClassLoader() : classLoader);
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(beanFactory);
		context.setClassLoader(classLoader);
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource(NAMESPACE, Collections.singletonMap(PROPERTY_NAME, name)));
		if (getParent() != null) {
			context.setParent(getParent());
		}
		context.setDisplayName(generateDisplayName(name));
		return context;
	}

}
