package io.portao.proxy;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteDefinition;

import static org.assertj.core.api.Assertions.assertThat;

class LaneRoutesTests {

	@Test
	void directoryPatternsBecomePrefixes() {
		assertThat(LaneRoutes.prefix("/**")).isEmpty();
		assertThat(LaneRoutes.prefix("/api/v1/**")).isEqualTo("/api/v1");
		assertThat(LaneRoutes.prefix("/api/{id}/**")).isNull();
		assertThat(LaneRoutes.prefix("/api/*")).isNull();
		assertThat(LaneRoutes.prefix("/a//b/**")).isNull();
		assertThat(LaneRoutes.prefix("/a/../b/**")).isNull();
		assertThat(LaneRoutes.prefix("/a%20b/**")).isNull();
		assertThat(LaneRoutes.prefix("api/**")).isNull();
	}

	@Test
	void aPrefixMatchesItselfAndWhatIsBelowItAsSpringsPathPatternDoes() {
		LaneRoutes routes = compile(route("api", "lb://a", "Path=/api/**"), route("rest", "lb://b", "Path=/**"));

		assertThat(routes.match("GET", "/api").id()).isEqualTo("api");
		assertThat(routes.match("GET", "/api/").id()).isEqualTo("api");
		assertThat(routes.match("GET", "/api/x?y").id()).isEqualTo("api");
		assertThat(routes.match("GET", "/api?x").id()).isEqualTo("api");
		assertThat(routes.match("GET", "/apix").id()).isEqualTo("rest");
	}

	@Test
	void aRouteTheLaneCannotDecideSendsEveryLaterRequestToTheGateway() {
		LaneRoutes routes = compile(route("api", "lb://a", "Path=/api/**"),
				route("hosted", "lb://a", "Host=**.example.test", "Path=/**"), route("rest", "lb://b", "Path=/**"));

		assertThat(routes.match("GET", "/api/x").id()).isEqualTo("api");
		assertThat(routes.match("GET", "/other")).isNull();
		assertThat(routes.routes().get(1).reason()).startsWith("predicates [Host, Path]");
		assertThat(routes.routes().get(2).reason()).isEqualTo(
				"after route 'hosted', whose predicates the lane cannot decide");
	}

	@Test
	void methodPredicatesAreDecidedAndOtherRoutesKeepTheirReasons() {
		LaneRoutes routes = compile(route("gets", "lb://a", "Path=/g/**", "Method=GET,HEAD"),
				route("plain", "http://127.0.0.1:1", "Path=/p/**"), filtered(route("filtered", "lb://a", "Path=/**")));

		assertThat(routes.match("GET", "/g/1").id()).isEqualTo("gets");
		assertThat(routes.match("GET", "/p/1")).isNull();
		assertThat(routes.routes().get(1).reason()).isEqualTo("URI http://127.0.0.1:1 is not lb://");
		assertThat(routes.routes().get(2).reason()).isEqualTo("route or default filters (1)");
		assertThat(routes.match("GET", "/x")).isNull();
	}

	private static LaneRoutes compile(Object[]... routes) {
		List<Route> list = java.util.Arrays.stream(routes).map(pair -> (Route) pair[0]).toList();
		Map<String, RouteDefinition> definitions = new java.util.HashMap<>();
		for (Object[] pair : routes) {
			RouteDefinition definition = (RouteDefinition) pair[1];
			definitions.put(definition.getId(), definition);
		}
		// A stand-in upstream for every route the lane may serve: what is tested here is which routes those are.
		UpstreamCall.Target target = Mockito.mock(UpstreamCall.Target.class);
		return LaneRoutes.compile(list, definitions, null, route -> target, route -> null);
	}

	private static Object[] route(String id, String uri, String... predicates) {
		RouteDefinition definition = new RouteDefinition();
		definition.setId(id);
		definition.setUri(URI.create(uri));
		definition.setPredicates(java.util.Arrays.stream(predicates).map(PredicateDefinition::new).toList());
		Route route = Route.async().id(id).uri(uri).predicate(exchange -> true).build();
		return new Object[] { route, definition };
	}

	private static Object[] filtered(Object[] pair) {
		Route route = (Route) pair[0];
		Route withFilter = Route.async().id(route.getId()).uri(route.getUri()).predicate(exchange -> true)
			.filter(new OrderedGatewayFilter((exchange, chain) -> chain.filter(exchange), 0)).build();
		return new Object[] { withFilter, pair[1] };
	}

}
