package io.portao.staticfiles;

import reactor.core.publisher.Mono;

import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.AbstractHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Maps every static location's pattern to its handler, ahead of every gateway route (nginx's
 * {@code location /static/} wins over {@code location /}); of several matching locations, the most specific
 * pattern wins (nginx's longest prefix).
 *
 * <p>Not Spring's {@code SimpleUrlHandlerMapping}, whose handlers are fixed once registered: a configuration reload
 * replaces the {@link StaticSite} here, and the next request sees the new locations. The lookup is the one
 * {@code AbstractUrlHandlerMapping} makes for patterns, with the same exchange attributes (the best matching
 * pattern, which {@code http.server.requests} reports as its {@code uri}, and the path within the mapping).
 *
 * <p>The actuator's child context on {@code management.server.port} sees its parent's handler mappings too; like
 * Spring Cloud Gateway's {@code RoutePredicateHandlerMapping}, this one stays out of requests served by another
 * context, so that files are not served on the management port.
 */
final class StaticFilesHandlerMapping extends AbstractHandlerMapping {

	private volatile StaticSite site;

	StaticFilesHandlerMapping(StaticSite site, int order) {
		this.site = site;
		setOrder(order);
	}

	/** The locations served now. */
	StaticSite site() {
		return this.site;
	}

	/** Serves {@code next} from the next request on; requests under way finish with the site they started with. */
	void replace(StaticSite next) {
		this.site = next;
	}

	@Override
	public Mono<Object> getHandlerInternal(ServerWebExchange exchange) {
		if (exchange.getApplicationContext() != getApplicationContext()) {
			return Mono.empty();
		}
		PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
		for (StaticSite.Mapping mapping : this.site.mappings()) {
			PathPattern pattern = mapping.pattern();
			PathPattern.PathMatchInfo match = pattern.matchAndExtract(path);
			if (match == null) {
				continue;
			}
			if (isDirectoryWithoutSlash(mapping, path.value())) {
				// /static/** also matches /static, but nginx's location /static/ does not: that path goes to the
				// proxied route, as it does behind nginx.
				return Mono.empty();
			}
			exchange.getAttributes().put(BEST_MATCHING_HANDLER_ATTRIBUTE, mapping.handler());
			exchange.getAttributes().put(BEST_MATCHING_PATTERN_ATTRIBUTE, pattern);
			exchange.getAttributes().put(HandlerMapping.PATH_WITHIN_HANDLER_MAPPING_ATTRIBUTE,
					pattern.extractPathWithinPattern(path));
			exchange.getAttributes().put(URI_TEMPLATE_VARIABLES_ATTRIBUTE, match.getUriVariables());
			// As AbstractUrlHandlerMapping.lookupHandler: http.server.requests takes its uri tag from here.
			ServerRequestObservationContext.findCurrent(exchange.getAttributes())
				.ifPresent(context -> context.setPathPattern(pattern.toString()));
			return Mono.just(mapping.handler());
		}
		return Mono.empty();
	}

	private static boolean isDirectoryWithoutSlash(StaticSite.Mapping mapping, String path) {
		String directory = mapping.directory();
		return directory != null && path.length() == directory.length() - 1 && directory.startsWith(path);
	}

}
