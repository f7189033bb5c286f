package io.portao.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.portao.config.InvalidConfigurationException;

import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.filter.factory.GatewayFilterFactory;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.handler.predicate.RoutePredicateFactory;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionRouteLocator;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Predicate and filter names of every route against the factories the gateway really has (its own and Portão's),
 * then every route built as the gateway builds it: Spring Cloud Gateway does both only when routes are first
 * loaded, after start-up.
 */
final class RouteFactoryChecks {

	private static final String DEFAULT_FILTERS = "spring.cloud.gateway.server.webflux.default-filters";

	private RouteFactoryChecks() {
	}

	static List<String> problems(ConfigurableApplicationContext context) {
		if (context.getBeanNamesForType(GatewayProperties.class).length == 0) {
			return List.of();
		}
		GatewayProperties gateway = context.getBean(GatewayProperties.class);
		Set<String> predicates = context.getBeansOfType(RoutePredicateFactory.class).values().stream()
			.map(RoutePredicateFactory::name).collect(Collectors.toSet());
		Set<String> filters = context.getBeansOfType(GatewayFilterFactory.class).values().stream()
			.map(GatewayFilterFactory::name).collect(Collectors.toSet());
		List<String> problems = new ArrayList<>();
		for (int i = 0; i < gateway.getRoutes().size(); i++) {
			problems.addAll(unknownNames(RouteDefinitionChecks.ROUTES + "[" + i + "]", gateway.getRoutes().get(i),
					predicates, filters, context));
		}
		problems.addAll(unknownFilters(DEFAULT_FILTERS, gateway.getDefaultFilters(), filters, context));
		return problems.isEmpty() ? buildProblems(context) : problems;
	}

	private static List<String> unknownNames(String property, RouteDefinition route, Set<String> predicates,
			Set<String> filters, ConfigurableApplicationContext context) {
		List<String> problems = new ArrayList<>();
		List<PredicateDefinition> definitions = route.getPredicates();
		for (int j = 0; j < definitions.size(); j++) {
			String name = definitions.get(j).getName();
			if (!predicates.contains(name)) {
				problems.add(unknown(property + ".predicates[" + j + "]", name, "predicate", predicates, context));
			}
		}
		problems.addAll(unknownFilters(property + ".filters", route.getFilters(), filters, context));
		return problems;
	}

	private static List<String> unknownFilters(String property, List<FilterDefinition> definitions,
			Set<String> filters, ConfigurableApplicationContext context) {
		List<String> problems = new ArrayList<>();
		for (int j = 0; j < definitions.size(); j++) {
			String name = definitions.get(j).getName();
			if (!filters.contains(name)) {
				problems.add(unknown(property + "[" + j + "]", name, "filter", filters, context));
			}
		}
		return problems;
	}

	private static String unknown(String property, String name, String kind, Set<String> known,
			ConfigurableApplicationContext context) {
		String closest = Suggestions.closest(String.valueOf(name), known);
		String expected = "a " + kind + " Spring Cloud Gateway has" + ((closest != null)
				? "; did you mean " + closest + "?" : ": " + String.join(", ", new TreeSet<>(known)));
		String written = context.getEnvironment().getProperty(property, String.valueOf(name));
		return new InvalidConfigurationException(property, written, expected).getMessage();
	}

	/** Every route as the gateway builds it from its definition: arguments each factory refuses. */
	private static List<String> buildProblems(ConfigurableApplicationContext context) {
		try {
			for (RouteDefinitionRouteLocator locator : context.getBeansOfType(RouteDefinitionRouteLocator.class).values()) {
				locator.getRoutes().collectList().block(Duration.ofSeconds(30));
			}
			return List.of();
		}
		catch (RuntimeException refused) {
			// The gateway builds all routes in one go and its failure does not say which route it was building.
			return List.of(RouteDefinitionChecks.ROUTES + ": " + FailureLines.describe(refused, context));
		}
	}

}
