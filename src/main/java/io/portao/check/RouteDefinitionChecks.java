package io.portao.check;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import io.portao.config.InvalidConfigurationException;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.gateway.route.RouteDefinition;

/**
 * Routes Spring Cloud Gateway accepts at start-up but that can never serve: one without a predicate matches no
 * request (the gateway answers 404 for everything it was meant to proxy), one without an absolute URI fails at the
 * first request.
 */
final class RouteDefinitionChecks {

	static final String ROUTES = "spring.cloud.gateway.server.webflux.routes";

	private RouteDefinitionChecks() {
	}

	static List<String> problems(Binder binder) {
		List<RouteDefinition> routes;
		try {
			routes = binder.bind(ROUTES, Bindable.listOf(RouteDefinition.class)).orElse(List.of());
		}
		catch (RuntimeException unbindable) {
			return List.of(); // a value of the wrong type, already reported by PropertyChecks
		}
		List<String> problems = new ArrayList<>();
		for (int i = 0; i < routes.size(); i++) {
			problems.addAll(problems(ROUTES + "[" + i + "]", routes.get(i)));
		}
		return problems;
	}

	private static List<String> problems(String property, RouteDefinition route) {
		List<String> problems = new ArrayList<>();
		if (route.getPredicates().isEmpty()) {
			problems.add(new InvalidConfigurationException(property + ".predicates", List.of(),
					"at least one predicate, e.g. Path=/**").getMessage());
		}
		URI uri = route.getUri();
		if (uri == null || !uri.isAbsolute()) {
			problems.add(new InvalidConfigurationException(property + ".uri", (uri != null) ? uri.toString() : null,
					"an absolute URI: lb://<upstream> or http://host:port").getMessage());
		}
		return problems;
	}

}
