package io.portao.nginximport;

import java.time.Duration;

/**
 * A {@code location} serving files ({@code root} or {@code alias}) as Portão's static location:
 * {@code spring.webflux.static-path-pattern} and {@code spring.web.resources.static-locations}. nginx's {@code root}
 * appends the whole request path to the directory ({@code location /static/ { root /var/www/static; }} reads
 * {@code /static/x} from {@code /var/www/static/static/x}); {@code alias} replaces the matched prefix
 * ({@code location /assets/ { alias /srv/public/; }} reads {@code /assets/x} from {@code /srv/public/x}).
 */
final class StaticLocation {

	/** {@code expires max}: nginx's ten years, {@code Cache-Control: max-age=315360000}. */
	private static final String MAX_AGE_MAX = "315360000s";

	private final PortaoYaml yaml;

	private final Report report;

	private Location chosen;

	private boolean expiresOnQuery;

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
		if (this.chosen != null) {
			this.report.untranslated(location.block(), "Portão serves one static location; "
					+ this.chosen.text() + " (" + this.chosen.block().where() + ") is translated");
			return;
		}
		if (virtualHost) {
			this.report.note(location.block(), "Portão serves its static location for every host name");
		}
		this.chosen = location;
		Scope scope = location.scope();
		this.expiresOnQuery = scope.blocks().stream().anyMatch(StaticLocation::isQueryExpires);
		for (Directive header : scope.all("add_header")) {
			this.report.untranslated(header, "Portão adds no headers to static files");
		}
		expires(scope.last("expires"));
	}

	private void expires(Directive expires) {
		if (expires == null || expires.arg().equals("off")) {
			return;
		}
		String[] cache = { "spring", "web", "resources", "cache", "cachecontrol" };
		String value = expires.arg();
		if (value.equals("max")) {
			this.yaml.put(MAX_AGE_MAX, Upstreams.append(cache, "max-age"));
			this.report.note(expires, "Cache-Control: max-age=315360000 without nginx's Expires header");
			return;
		}
		if (value.equals("epoch") || value.startsWith("-")) {
			this.yaml.put(true, Upstreams.append(cache, "no-cache"));
			this.report.note(expires, "Cache-Control: no-cache without nginx's Expires header");
			return;
		}
		Duration duration = NginxValues.time(value);
		if (duration == null || expires.args().size() > 1) {
			this.report.untranslated(expires, "only expires max, epoch, off or a positive time is translated");
			return;
		}
		this.yaml.put(NginxValues.springDuration(duration), Upstreams.append(cache, "max-age"));
		this.report.note(expires, "Cache-Control: max-age only, without nginx's Expires header");
	}

	void write(boolean noRoutes) {
		if (this.chosen == null) {
			// Portão serves /static/** from its default directory unless told otherwise; nginx would proxy it.
			this.yaml.put(false, "portao", "static-files", "enabled");
			return;
		}
		String path = this.chosen.path();
		if (path.equals("/") && !noRoutes) {
			this.report.untranslated(this.chosen.block(), "a static location / would answer ahead of every route");
			this.yaml.put(false, "portao", "static-files", "enabled");
			return;
		}
		String pattern = path.endsWith("/") ? path + "**" : path + "/**";
		this.yaml.put(pattern, "spring", "webflux", "static-path-pattern");
		this.yaml.put("file:" + directory(), "spring", "web", "resources", "static-locations");
		if (!this.expiresOnQuery) {
			this.yaml.put(false, "portao", "static-files", "expires-max-on-query");
		}
	}

	private String directory() {
		Scope scope = this.chosen.scope();
		Directive alias = scope.last("alias");
		String path = this.chosen.path();
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
