package io.portao.routes;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.springframework.cloud.gateway.handler.predicate.AbstractRoutePredicateFactory;
import org.springframework.cloud.gateway.handler.predicate.GatewayPredicate;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ServerWebExchange;

import io.portao.config.InvalidConfigurationException;

/**
 * {@code PathRegex=^/api/v[0-9]+/}: nginx's regular-expression {@code location ~ re} (or {@code ~* re} with
 * {@code (?i)}), which Spring Cloud Gateway lacks: its {@code Path} takes Spring's path patterns, which match whole
 * segments. Like nginx, the expression is searched (not anchored unless it says so) in the normalized path: percent
 * escapes decoded and runs of slashes merged ({@code merge_slashes on}), without the query string.
 */
public class PathRegexRoutePredicateFactory extends AbstractRoutePredicateFactory<PathRegexRoutePredicateFactory.Config> {

	private static final Pattern SLASHES = Pattern.compile("//+");

	public PathRegexRoutePredicateFactory() {
		super(Config.class);
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("regexp");
	}

	@Override
	public Predicate<ServerWebExchange> apply(Config config) {
		Pattern pattern = compile(config.getRegexp());
		return new GatewayPredicate() {

			@Override
			public boolean test(ServerWebExchange exchange) {
				return pattern.matcher(normalized(exchange)).find();
			}

			@Override
			public Object getConfig() {
				return config;
			}

			@Override
			public String toString() {
				return "PathRegex: " + pattern;
			}

		};
	}

	static String normalized(ServerWebExchange exchange) {
		String raw = exchange.getRequest().getPath().pathWithinApplication().value();
		String decoded = (raw.indexOf('%') >= 0) ? StringUtils.uriDecode(raw, StandardCharsets.UTF_8) : raw;
		return (decoded.contains("//")) ? SLASHES.matcher(decoded).replaceAll("/") : decoded;
	}

	private static Pattern compile(String regexp) {
		if (regexp == null || regexp.isEmpty()) {
			throw new InvalidConfigurationException("PathRegex", regexp, "a regular expression, e.g. ^/api/");
		}
		try {
			return Pattern.compile(regexp);
		}
		catch (PatternSyntaxException ex) {
			throw new InvalidConfigurationException("PathRegex", regexp,
					"a Java regular expression (" + ex.getDescription() + ")");
		}
	}

	/** The expression of one {@code PathRegex} predicate. */
	public static class Config {

		private String regexp;

		public String getRegexp() {
			return this.regexp;
		}

		public Config setRegexp(String regexp) {
			this.regexp = regexp;
			return this;
		}

	}

}
