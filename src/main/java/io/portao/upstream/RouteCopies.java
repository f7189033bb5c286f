package io.portao.upstream;

import java.util.Map;

import org.springframework.cloud.gateway.route.Route;

/**
 * A copy of a route with other metadata: how Portão hands Spring Cloud Gateway's routing filter per-upstream
 * timeouts ({@link UpstreamTimeouts}) or hides its response timeout ({@code framework.EventLoopTimeoutRoutingFilter}).
 * {@link Route} is immutable and its metadata is what that filter reads.
 */
public final class RouteCopies {

	private RouteCopies() {
	}

	public static Route withMetadata(Route route, Map<String, Object> metadata) {
		return Route.async()
			.id(route.getId())
			.uri(route.getUri())
			.order(route.getOrder())
			.asyncPredicate(route.getPredicate())
			.replaceFilters(route.getFilters())
			.replaceMetadata(metadata)
			.build();
	}

}
