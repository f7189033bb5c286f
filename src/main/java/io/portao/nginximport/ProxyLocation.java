package io.portao.nginximport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code location} with {@code proxy_pass}: the route's {@code uri}, its filters, and the settings of the upstream
 * it proxies to. What Portão does by default for every route (nginx's reference headers, {@code proxy_redirect off},
 * the instance's {@code Server} passed through) needs nothing.
 */
final class ProxyLocation {

	private static final Pattern PROXY_PASS = Pattern.compile("(https?)://([^/]+)(/.*)?");

	/** {@code proxy_next_upstream} values Portão has ({@code UpstreamCondition}). */
	private static final Set<String> CONDITIONS = Set.of("error", "timeout", "http_502", "http_503", "http_504",
			"non_idempotent", "off");

	private final Report report;

	private final Upstreams upstreams;

	private final UpstreamSettings settings;

	private final Map<String, String> schemes;

	private boolean sendForwardedFor;

	ProxyLocation(Report report, Upstreams upstreams, UpstreamSettings settings, Map<String, String> schemes) {
		this.report = report;
		this.upstreams = upstreams;
		this.settings = settings;
		this.schemes = schemes;
	}

	/** Whether a location sets {@code X-Forwarded-For}, which Portão sends for all or none. */
	boolean sendsForwardedFor() {
		return this.sendForwardedFor;
	}

	/** The route for {@code location} (uri, filters, metadata), or null when it cannot be translated. */
	Map<String, Object> route(Location location, String gatewayScheme, int gatewayPort) {
		Directive proxyPass = location.scope().last("proxy_pass");
		Matcher matcher = PROXY_PASS.matcher(proxyPass.arg());
		if (proxyPass.arg().contains("$") || !matcher.matches()) {
			this.report.untranslated(proxyPass, "only proxy_pass http(s)://upstream-or-host[:port][/uri] without "
					+ "variables is translated");
			return null;
		}
		String scheme = matcher.group(1);
		String host = matcher.group(2);
		String uriPart = matcher.group(3);
		Map<String, Object> route = new LinkedHashMap<>();
		List<Object> filters = new ArrayList<>();
		String upstream = this.upstreams.contains(host) ? host : null;
		if (upstream != null) {
			route.put("uri", "lb://" + upstream);
			String previous = this.schemes.putIfAbsent(upstream, scheme);
			if (previous != null && !previous.equals(scheme)) {
				this.report.untranslated(proxyPass, "upstream " + upstream + " is reached over " + previous
						+ " elsewhere; its instances have one scheme");
			}
			this.settings.use(upstream);
		}
		else {
			route.put("uri", scheme + "://" + (host.matches(".*:\\d+") ? host : host + (scheme.equals("https") ? ":443" : ":80")));
		}
		if (uriPart != null && !uriPart.isEmpty()) {
			rewrite(location, proxyPass, uriPart, filters);
		}
		ProxyHeaders headers = new ProxyHeaders(this.report, gatewayScheme, gatewayPort);
		headers.translate(location.scope(), filters);
		this.sendForwardedFor |= headers.sendsForwardedFor();
		Map<String, Object> metadata = new LinkedHashMap<>();
		upstreamSettings(location.scope(), upstream, metadata);
		if (!filters.isEmpty()) {
			route.put("filters", filters);
		}
		if (!metadata.isEmpty()) {
			route.put("metadata", metadata);
		}
		return route;
	}

	/**
	 * nginx replaces the part of the path the location matched with the URI of {@code proxy_pass}: {@code location
	 * /api/ { proxy_pass http://b/v2/; }} sends {@code /api/x} as {@code /v2/x}. {@code $\{} is Spring Cloud
	 * Gateway's escape for a {@code ${} that Spring must not read as a property placeholder.
	 */
	private void rewrite(Location location, Directive proxyPass, String uriPart, List<Object> filters) {
		switch (location.kind()) {
			case EXACT -> filters.add("SetPath=" + uriPart);
			case PREFIX, PREFIX_NO_REGEX -> {
				if (!uriPart.equals(location.path())) {
					String prefix = Predicates.quote(location.path());
					filters.add("RewritePath=^" + prefix + "(?<rest>.*), " + uriPart + "$\\{rest}");
				}
			}
			default -> this.report.untranslated(proxyPass, "a URI part in proxy_pass of a regex location is not translated");
		}
	}

	private void upstreamSettings(Scope scope, String upstream, Map<String, Object> metadata) {
		Directive next = scope.last("proxy_next_upstream");
		if (next != null && upstream != null) {
			List<String> kept = next.args().stream().filter(CONDITIONS::contains).toList();
			if (kept.size() < next.args().size()) {
				this.report.untranslated(next, "Portão passes on error, timeout, http_502, http_503, http_504 and "
						+ "non_idempotent only; kept " + kept);
			}
			this.settings.put(upstream, "next-upstream", String.join(", ", kept), next);
		}
		Directive tries = scope.last("proxy_next_upstream_tries");
		if (tries != null && upstream != null) {
			this.settings.put(upstream, "next-upstream-tries", tries.number(tries.arg()), tries);
		}
		time(scope, "proxy_next_upstream_timeout", upstream, "next-upstream-timeout", null);
		time(scope, "proxy_connect_timeout", upstream, "connect-timeout", metadata);
		time(scope, "proxy_read_timeout", upstream, "response-timeout", metadata);
		time(scope, "proxy_read_timeout", upstream, "idle-timeout", null);
	}

	private void time(Scope scope, String name, String upstream, String property, Map<String, Object> metadata) {
		Directive directive = scope.last(name);
		if (directive == null) {
			return;
		}
		Duration value = NginxValues.time(directive.arg());
		if (value == null) {
			this.report.untranslated(directive, "not an nginx time");
		}
		else if (upstream != null) {
			this.settings.put(upstream, property, NginxValues.springDuration(value), directive);
		}
		else if (metadata != null) {
			// Spring Cloud Gateway's per-route timeouts, in milliseconds.
			metadata.put(property, value.toMillis());
		}
	}

}
