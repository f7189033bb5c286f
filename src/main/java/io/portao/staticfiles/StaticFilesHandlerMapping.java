package io.portao.staticfiles;

import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;

/**
 * Maps {@code spring.webflux.static-path-pattern} to the static handler, ahead of every gateway route (nginx's
 * {@code location /static/} wins over {@code location /}).
 *
 * <p>The actuator's child context on {@code management.server.port} sees its parent's handler mappings too; like
 * Spring Cloud Gateway's {@code RoutePredicateHandlerMapping}, this one stays out of requests served by another
 * context, so that files are not served on the management port.
 */
final class StaticFilesHandlerMapping extends SimpleUrlHandlerMapping {

	private final String directory;

	private final String pattern;

	private final StaticResourceWebHandler files;

	StaticFilesHandlerMapping(String pattern, WebHandler handler, StaticResourceWebHandler files, int order) {
		super(Map.of(pattern, handler), order);
		this.directory = pattern.endsWith("/**") ? pattern.substring(0, pattern.length() - 2) : null;
		this.pattern = pattern;
		this.files = files;
	}

	String pattern() {
		return this.pattern;
	}

	/** The file handler behind the caching wrappers. */
	StaticResourceWebHandler files() {
		return this.files;
	}

	@Override
	public Mono<Object> getHandlerInternal(ServerWebExchange exchange) {
		if (exchange.getApplicationContext() != getApplicationContext() || isDirectoryWithoutSlash(exchange)) {
			return Mono.empty();
		}
		return super.getHandlerInternal(exchange);
	}

	/**
	 * {@code /static/**} also matches {@code /static}, but nginx's {@code location /static/} does not: that path
	 * goes to the proxied route, as it does behind nginx.
	 */
	private boolean isDirectoryWithoutSlash(ServerWebExchange exchange) {
		if (this.directory == null) {
			return false;
		}
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		return path.length() == this.directory.length() - 1 && this.directory.startsWith(path);
	}

}
