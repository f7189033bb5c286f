package io.portao.nginximport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.portao.nginximport.Location.Kind;

/**
 * nginx {@code location}s as Spring Cloud Gateway routes, in the order nginx consults them, since the gateway takes
 * the first route that matches: exact locations, then {@code ^~} prefixes longest first, then regular expressions in
 * the order written, then the other prefixes longest first. A prefix location serving files is Portão's static
 * location instead, which answers ahead of every route as nginx's longest prefix does.
 */
final class Routes {

	private static final String[] ROUTES = { "spring", "cloud", "gateway", "server", "webflux", "routes" };

	private final PortaoYaml yaml;

	private final Report report;

	private final ProxyLocation proxy;

	private final StaticLocation staticLocation;

	private final UpstreamSettings settings;

	private final Map<String, String> schemes = new LinkedHashMap<>();

	private final List<Map<String, Object>> routes = new ArrayList<>();

	private final Set<String> ids = new HashSet<>();

	private String gatewayScheme = "http";

	private int gatewayPort = 80;

	Routes(PortaoYaml yaml, Report report, Upstreams upstreams) {
		this.yaml = yaml;
		this.report = report;
		this.settings = new UpstreamSettings(report);
		this.proxy = new ProxyLocation(report, upstreams, this.settings, this.schemes);
		this.staticLocation = new StaticLocation(yaml, report);
	}

	/** The scheme and port Portão serves, which nginx's {@code $scheme} and {@code $server_port} are. */
	void served(String scheme, int port) {
		this.gatewayScheme = scheme;
		this.gatewayPort = port;
	}

	/** Which upstreams {@code proxy_pass} reaches over https. */
	Map<String, String> schemes() {
		return this.schemes;
	}

	/** Adds the routes of {@code server}; {@code hosts} are its names when several servers share the port. */
	void add(VirtualServer server, List<String> hosts) {
		List<Location> locations = new ArrayList<>();
		flatten(server.scope(), locations);
		locations.sort(Comparator.comparing(Location::kind, Comparator.comparingInt(Routes::rank))
			.thenComparing(l -> l.isPrefix() ? -l.path().length() : 0));
		List<Object> hostPredicate = (hosts != null) ? Predicates.host(hosts, server, this.report) : List.of();
		List<Location> redirected = autoRedirects(locations);
		for (Location location : redirected) {
			String path = location.path();
			Map<String, Object> redirect = new LinkedHashMap<>();
			redirect.put("#", location.block().where() + ": " + location.text() + ": nginx answers " + path.substring(0,
					path.length() - 1) + " with 301 to " + path);
			redirect.put("id", id(server, hosts != null, path + "-redirect"));
			redirect.put("uri", "no://op");
			List<Object> predicates = new ArrayList<>();
			predicates.add("Path=" + path.substring(0, path.length() - 1));
			predicates.addAll(hostPredicate);
			redirect.put("predicates", predicates);
			redirect.put("filters", List.of("RedirectTo=301, " + path + ", true"));
			this.routes.add(redirect);
		}
		for (Location location : locations) {
			Map<String, Object> route = route(location, hosts != null);
			if (route == null) {
				continue;
			}
			Map<String, Object> full = new LinkedHashMap<>();
			full.put("#", location.block().where() + ": " + location.text()
					+ ((hosts != null) ? " (server " + server.label() + ")" : ""));
			full.put("id", id(server, hosts != null, location, route));
			full.put("uri", route.remove("uri"));
			List<Object> predicates = new ArrayList<>();
			predicates.add(Predicates.path(location, redirected.contains(location)));
			predicates.addAll(hostPredicate);
			full.put("predicates", predicates);
			full.putAll(route);
			this.routes.add(full);
		}
	}

	/**
	 * Prefix locations ending in {@code /} that proxy: nginx answers their path without the slash with
	 * {@code 301} to the path with it (and the query), ahead of any regex, unless a location names that path
	 * ({@code ngx_http_core_find_static_location}'s {@code auto_redirect}). Only literal paths, which
	 * {@code Path=} matches exactly.
	 */
	private static List<Location> autoRedirects(List<Location> locations) {
		Set<String> named = new HashSet<>();
		locations.stream().filter(l -> l.isPrefix() || l.kind() == Kind.EXACT).forEach(l -> named.add(l.path()));
		return locations.stream()
			.filter(l -> l.isPrefix() && l.path().length() > 1 && l.path().endsWith("/")
					&& !l.path().matches(".*[{}*?].*") && hasOwn(l.scope(), "proxy_pass")
					&& !named.contains(l.path().substring(0, l.path().length() - 1)))
			.toList();
	}

	private static int rank(Kind kind) {
		return switch (kind) {
			case EXACT -> 0;
			case PREFIX_NO_REGEX -> 1;
			case REGEX -> 2;
			case PREFIX -> 3;
			case NAMED -> 4;
		};
	}

	private void flatten(Scope parent, List<Location> into) {
		for (Directive block : parent.blocks("location")) {
			Location location = Location.of(block, parent);
			into.add(location);
			flatten(location.scope(), into);
		}
	}

	private Map<String, Object> route(Location location, boolean virtualHost) {
		Scope scope = location.scope();
		Mapping.reportUnknown(this.report, scope.own());
		for (Directive block : scope.blocks()) {
			if (!block.name().equals("location") && !StaticLocation.isQueryExpires(block)) {
				this.report.untranslated(block, "only if ($query_string) { expires max; } in a static location is "
						+ "translated");
			}
		}
		for (String name : List.of("client_max_body_size", "access_log", "keepalive_timeout", "client_body_timeout")) {
			scope.own().stream().filter(d -> d.name().equals(name)).forEach(d -> this.report.untranslated(d,
					"Portão has one " + name + " for all locations: the server's is translated"));
		}
		if (location.kind() == Kind.NAMED) {
			this.report.untranslated(location.block(), "named locations are reached by try_files or error_page only");
			return null;
		}
		if (hasOwn(scope, "proxy_pass")) {
			return this.proxy.route(location, this.gatewayScheme, this.gatewayPort);
		}
		if (hasOwn(scope, "return")) {
			return Returns.route(scope.last("return"), this.report);
		}
		if (scope.last("alias") != null || scope.last("root") != null) {
			this.staticLocation.add(location, virtualHost);
			return null;
		}
		this.report.untranslated(location.block(), "neither proxy_pass, return, root nor alias");
		return null;
	}

	private static boolean hasOwn(Scope scope, String name) {
		return scope.own().stream().anyMatch(d -> d.name().equals(name));
	}

	private String id(VirtualServer server, boolean virtualHost, Location location, Map<String, Object> route) {
		String target = route.get("uri").toString().replaceFirst("^[a-z]+://", "").replaceFirst("^op$", "return");
		return id(server, virtualHost, location.path().equals("/") ? target : location.path().replace("(?i)", ""));
	}

	private String id(VirtualServer server, boolean virtualHost, String name) {
		String base = name;
		if (virtualHost) {
			base = server.label() + "-" + base;
		}
		String slug = base.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
		slug = slug.isEmpty() ? "route" : slug;
		String id = slug;
		for (int i = 2; !this.ids.add(id); i++) {
			id = slug + "-" + i;
		}
		return id;
	}

	void write() {
		if (!this.routes.isEmpty()) {
			this.yaml.put(this.routes, ROUTES);
		}
		this.staticLocation.write(this.routes.isEmpty());
		if (this.proxy.sendsForwardedFor()) {
			this.yaml.put(true, "portao", "send-x-forwarded-for");
		}
		this.settings.write(this.yaml);
	}

}
