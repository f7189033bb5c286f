package io.portao.routes;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Route predicates Portão adds to Spring Cloud Gateway's, for what nginx's locations can say and SCG's cannot, and
 * host names matched without regard to case, as nginx's {@code server_name} does.
 */
@Configuration(proxyBeanMethods = false)
public class RoutesConfiguration {

	/** Static: a post-processor must exist before the beans it post-processes (the gateway's predicates). */
	@Bean
	static CaseInsensitiveHosts caseInsensitiveHosts() {
		return new CaseInsensitiveHosts();
	}

	@Bean
	PathRegexRoutePredicateFactory pathRegexRoutePredicateFactory() {
		return new PathRegexRoutePredicateFactory();
	}

}
