package io.portao.proxy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteDefinition;

/**
 * The gateway's routes compiled for the proxy lane, in the gateway's order, each with its path (lane or gateway)
 * and, for the gateway, why. A route is on the lane when its URI is {@code lb://}, it has no filter (its own or a
 * default one), its predicates are {@code Path} patterns the lane decides ({@code /**}, {@code /a/b/**}) and
 * {@code Method}, and its service has a balancer without lifecycle beans. Compiled from the
 * {@link RouteDefinition}s when routes are refreshed.
 */
final class LaneRoutes {

	/** Nothing on the lane (before the first compilation, or with the lane off for every route). */
	static final LaneRoutes NONE = new LaneRoutes(List.of());

	private final List<LaneRoute> routes;

	/** Whether no route is on the lane: asked for every request, so computed once. */
	private final boolean empty;

	private LaneRoutes(List<LaneRoute> routes) {
		this.routes = routes;
		this.empty = routes.stream().noneMatch(LaneRoute::onLane);
	}

	/**
	 * Compiles {@code routes} with their {@code definitions}; {@code reasonForAll}, when set, sends every route
	 * to the gateway; {@code targets} resolves the upstream of a route that may be on the lane; {@code timers} gives a route's {@code spring.cloud.gateway.requests} timers.
	 */
	static LaneRoutes compile(List<Route> routes, Map<String, RouteDefinition> definitions,
			@Nullable String reasonForAll, Function<Route, UpstreamCall.@Nullable Target> targets,
			Function<Route, GatewayRequestsTimer> timers) {
		List<LaneRoute> compiled = new ArrayList<>(routes.size());
		String undecidable = null;
		for (Route route : routes) {
			RouteDefinition definition = definitions.get(route.getId());
			List<String> prefixes = (definition != null) ? prefixes(definition) : null;
			Set<String> methods = (definition != null) ? methods(definition) : Set.of();
			String reason = (reasonForAll != null) ? reasonForAll
					: (undecidable != null) ? "after route '" + undecidable + "', whose predicates the lane cannot decide"
							: reason(route, definition, prefixes);
			if (prefixes == null && undecidable == null) {
				undecidable = route.getId();
			}
			UpstreamCall.Target target = null;
			if (reason == null) {
				target = targets.apply(route);
				if (target == null) {
					reason = "service '" + route.getUri().getHost()
							+ "' has no balancer, or load-balancer lifecycle beans";
				}
			}
			compiled.add(new LaneRoute(route.getId(), prefixes, methods, target, reason,
					(target != null) ? timers.apply(route) : null));
		}
		return new LaneRoutes(List.copyOf(compiled));
	}

	private static String reason(Route route, RouteDefinition definition, List<String> prefixes) {
		if (!"lb".equals(route.getUri().getScheme())) {
			return "URI " + route.getUri() + " is not lb://";
		}
		if (!route.getFilters().isEmpty()) {
			return "route or default filters (" + route.getFilters().size() + ")";
		}
		if (definition == null) {
			return "not defined by a RouteDefinition (Java DSL)";
		}
		if (prefixes == null) {
			return "predicates " + names(definition) + " (the lane decides Path /** or /a/b/**, and Method)";
		}
		return null;
	}

	/** The path prefixes of the definition's predicates, or {@code null} when the lane cannot decide them. */
	@Nullable
	private static List<String> prefixes(RouteDefinition definition) {
		List<String> prefixes = null;
		for (PredicateDefinition predicate : definition.getPredicates()) {
			if ("Method".equals(predicate.getName())) {
				continue;
			}
			if (!"Path".equals(predicate.getName()) || prefixes != null) {
				return null;
			}
			prefixes = new ArrayList<>();
			for (Map.Entry<String, String> arg : predicate.getArgs().entrySet()) {
				String value = arg.getValue();
				if (arg.getKey().equalsIgnoreCase("matchTrailingSlash")
						|| ("true".equals(value) || "false".equals(value))) {
					continue;
				}
				for (String pattern : value.split(",")) {
					String prefix = prefix(pattern.trim());
					if (prefix == null) {
						return null;
					}
					prefixes.add(prefix);
				}
			}
		}
		return (prefixes != null && !prefixes.isEmpty()) ? List.copyOf(prefixes) : null;
	}

	/** {@code /**} → {@code ""}, {@code /a/b/**} → {@code /a/b}; {@code null} for any other pattern. */
	@Nullable
	static String prefix(String pattern) {
		if (!pattern.endsWith("/**")) {
			return null;
		}
		String prefix = pattern.substring(0, pattern.length() - 3);
		for (int i = 0; i < prefix.length(); i++) {
			char c = prefix.charAt(i);
			boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '_' || c == '.' || (c == '/' && i + 1 < prefix.length() && prefix.charAt(i + 1) != '/'
							&& (i == 0 || prefix.charAt(i - 1) != '/'));
			if (!plain || (i == 0 && c != '/')) {
				return null;
			}
		}
		return (prefix.contains("/./") || prefix.contains("/../") || prefix.endsWith("/.") || prefix.endsWith("/.."))
				? null : prefix;
	}

	private static Set<String> methods(RouteDefinition definition) {
		Set<String> methods = new LinkedHashSet<>();
		for (PredicateDefinition predicate : definition.getPredicates()) {
			if ("Method".equals(predicate.getName())) {
				for (String value : predicate.getArgs().values()) {
					for (String method : value.split(",")) {
						methods.add(method.trim().toUpperCase(Locale.ROOT));
					}
				}
			}
		}
		return Set.copyOf(methods);
	}

	private static List<String> names(RouteDefinition definition) {
		return definition.getPredicates().stream().map(PredicateDefinition::getName).toList();
	}

	/**
	 * The route a request matches, when the lane serves it: {@code null} when it matches none, when a route
	 * before it cannot be decided here, or when it takes the gateway path.
	 */
	@Nullable
	LaneRoute match(String method, String rawTarget) {
		for (LaneRoute route : this.routes) {
			if (!route.decidable()) {
				return null;
			}
			if (route.matches(method, rawTarget)) {
				return route.onLane() ? route : null;
			}
		}
		return null;
	}

	boolean isEmpty() {
		return this.empty;
	}

	List<LaneRoute> routes() {
		return this.routes;
	}

}
