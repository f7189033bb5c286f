package io.portao.framework;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cloud.gateway.handler.predicate.HostRoutePredicateFactory;
import org.springframework.util.AntPathMatcher;

/**
 * Spring Cloud Gateway's {@code Host} predicate compares host names case-sensitively ({@code AntPathMatcher(".")});
 * host names are case-insensitive (RFC 3986 §3.2.2, RFC 9110 §4.2.3), and nginx's {@code server_name} matches
 * {@code Host: Shop.Example.COM} against {@code shop.example.com}. Same matcher, case ignored.
 */
final class CaseInsensitiveHosts implements BeanPostProcessor {

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof HostRoutePredicateFactory hosts) {
			AntPathMatcher matcher = new AntPathMatcher(".");
			matcher.setCaseSensitive(false);
			hosts.setPathMatcher(matcher);
		}
		return bean;
	}

}
