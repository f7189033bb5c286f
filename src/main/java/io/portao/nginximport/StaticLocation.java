package io.portao.nginximport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code location}s serving files ({@code root} or {@code alias}) as Portão's static locations. nginx's
 * {@code root} appends the whole request path to the directory ({@code location /static/ { root /var/www/static; }}
 * reads {@code /static/x} from {@code /var/www/static/static/x}); {@code alias} replaces the matched prefix
 * ({@code location /assets/ { alias /srv/public/; }} reads {@code /assets/x} from {@code /srv/public/x}).
 *
 * <p>One location without a fixed {@code expires} is written in the single-location form
 * ({@code spring.webflux.static-path-pattern} and {@code spring.web.resources.static-locations}); several, or one
 * with {@code expires <time>} or {@code expires max}, as {@code portao.static-files.locations}, each with its own
 * caching rule, which sends nginx's {@code Expires} and {@code Cache-Control} exactly.
 */
final class StaticLocation {

	/** {@code expires max}: nginx's ten years, {@code Cache-Control: max-age=315360000}. */
	private static final String MAX_AGE_MAX = "315360000s";

	private final PortaoYaml yaml;

	private final Report report;

	private final List<Location> chosen = new ArrayList<>();

	StaticLocation(PortaoYaml yaml, Report report) {
		this.yaml = yaml;
		this.report = report;
	}

	/** nginx's reference rule {@code if ($query_string) { expires max; }}, which Portão has built in. */
	static boolean isQueryExpires(Directive block) {
		return block.name().equals("if") && String.join(" ", block.args()).replace(" ", "").equals("($query_string)")
				&& block.block().size() == 1 && block.block().get(0).text().equals("expires max");
	}

	void add(Location location, boolean virtualHost) {
		if (!location.isPrefix()) {
			this.report.untranslated(location.block(), "Portão serves static files under a path prefix only");
			return;
		}
		String path = withSlash(location.path());
		for (Location other : this.chosen) {
			if (withSlash(other.path()).equals(path)) {
				this.report.untranslated(location.block(), "Portão serves one static location per path; "
						+ other.text() + " (" + other.block().where() + ") is translated");
				return;
			}
		}
		if (virtualHost) {
			this.report.note(location.block(), "Portão serves its static locations for every host name");
		}
		this.chosen.add(location);
		for (Directive header : location.scope().all("add_header")) {
			this.report.untranslated(header, "Portão adds no headers to static files");
		}
	}

	void write(boolean noRoutes) {
		List<Location> served = new ArrayList<>();
		for (Location location : this.chosen) {
			if (location.path().equals("/") && !noRoutes) {
				this.report.untranslated(location.block(), "a static location / would answer ahead of every route");
			}
			else {
				served.add(location);
			}
		}
		if (served.isEmpty()) {
			// Portão serves /static/** from its default directory unless told otherwise; nginx would proxy it.
			this.yaml.put(false, "portao", "static-files", "enabled");
			return;
		}
		if (served.size() == 1 && !hasFixedExpires(served.get(0))) {
			writeSingle(served.get(0));
			return;
		}
		List<Object> locations = new ArrayList<>();
		for (Location location : served) {
			locations.add(entry(location));
		}
		this.yaml.put(locations, "portao", "static-files", "locations");
	}

	private void writeSingle(Location location) {
		String path = location.path();
		String pattern = path.endsWith("/") ? path + "**" : path + "/**";
		this.yaml.put(pattern, "spring", "webflux", "static-path-pattern");
		this.yaml.put("file:" + directory(location), "spring", "web", "resources", "static-locations");
		if (!hasQueryExpires(location)) {
			this.yaml.put(false, "portao", "static-files", "expires-max-on-query");
		}
		Directive expires = location.scope().last("expires");
		if (expires != null && (expires.arg().equals("epoch") || expires.arg().startsWith("-"))) {
			this.yaml.put(true, "spring", "web", "resources", "cache", "cachecontrol", "no-cache");
			this.report.note(expires, "Cache-Control: no-cache without nginx's Expires header");
		}
		else if (expires != null && !expires.arg().equals("off")) {
			this.report.untranslated(expires, "only expires max, epoch, off or a positive time is translated");
		}
	}

	/** One entry of {@code portao.static-files.locations}: path, directory and the caching rule of nginx's. */
	private Map<String, Object> entry(Location location) {
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("path", withSlash(location.path()));
		entry.put("directory", "file:" + directory(location));
		Directive expires = location.scope().last("expires");
		String maxAge = (expires != null) ? fixedExpires(expires) : null;
		if (maxAge != null) {
			entry.put("caching", "max-age");
			entry.put("max-age", maxAge);
			if (hasQueryExpires(location)) {
				this.report.note(expires, "the query rule if ($query_string) { expires max; } is replaced by this "
						+ "expires for every answer");
			}
		}
		else {
			entry.put("caching", hasQueryExpires(location) ? "expires-max-on-query" : "none");
			if (expires != null && !expires.arg().equals("off")) {
				this.report.untranslated(expires, "a static location's caching is expires max, a positive time, the "
						+ "query rule, or none");
			}
		}
		return entry;
	}

	private static boolean hasQueryExpires(Location location) {
		return location.scope().blocks().stream().anyMatch(StaticLocation::isQueryExpires);
	}

	private static boolean hasFixedExpires(Location location) {
		Directive expires = location.scope().last("expires");
		return expires != null && fixedExpires(expires) != null;
	}

	/** {@code expires max} or {@code expires <positive time>} as a Spring duration, else {@code null}. */
	private static String fixedExpires(Directive expires) {
		if (expires.args().size() != 1) {
			return null;
		}
		if (expires.arg().equals("max")) {
			return MAX_AGE_MAX;
		}
		Duration duration = NginxValues.time(expires.arg());
		return (duration != null && duration.toSeconds() > 0) ? NginxValues.springDuration(duration) : null;
	}

	private static String withSlash(String path) {
		return path.endsWith("/") ? path : path + "/";
	}

	private String directory(Location location) {
		Scope scope = location.scope();
		Directive alias = scope.last("alias");
		String path = location.path();
		String dir;
		if (alias != null) {
			dir = alias.arg();
			if (path.endsWith("/") != dir.endsWith("/")) {
				this.report.note(alias, "nginx joins the rest of the path to the alias as written; "
						+ "Portão reads it from inside the directory");
			}
		}
		else {
			Directive root = scope.last("root");
			dir = root.arg().replaceAll("/+$", "") + (path.endsWith("/") ? path : path + "/");
			if (!root.arg().startsWith("/")) {
				this.report.note(root, "a relative root is read relative to Portão's working directory, not nginx's prefix");
			}
		}
		return dir.endsWith("/") ? dir : dir + "/";
	}

}
