package io.portao.routes;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Route predicates Portão adds to Spring Cloud Gateway's, for what nginx's locations can say and SCG's cannot, and
 * host names matched without regard to case as nginx's {@code server_name} does (that one in {@code framework}:
 * {@code CaseInsensitiveHosts} adjusts Spring Cloud Gateway's own {@code Host} predicate).
 */
@Configuration(proxyBeanMethods = false)
public class RoutesConfiguration {

	@Bean
	PathRegexRoutePredicateFactory pathRegexRoutePredicateFactory() {
		return new PathRegexRoutePredicateFactory();
	}

}
