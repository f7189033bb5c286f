package io.portao.routes;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Route predicates Portão adds to Spring Cloud Gateway's, for what nginx's locations can say and SCG's cannot. */
@Configuration(proxyBeanMethods = false)
public class RoutesConfiguration {

	@Bean
	PathRegexRoutePredicateFactory pathRegexRoutePredicateFactory() {
		return new PathRegexRoutePredicateFactory();
	}

}
