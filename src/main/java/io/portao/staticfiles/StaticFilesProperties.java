package io.portao.staticfiles;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.portao.config.InvalidConfigurationException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What Portão adds to Spring's static-resource settings. Where files are served from and under which path are
 * Spring's own {@code spring.web.resources.static-locations} and {@code spring.webflux.static-path-pattern};
 * {@code spring.web.resources.cache.cachecontrol.*} and {@code spring.web.resources.cache.use-last-modified}
 * apply as well.
 *
 * @param enabled whether Portão serves static files at all (default true); off, {@code static-path-pattern} paths
 * go to the routes like any other, as behind an nginx with no static location ({@code import-nginx} writes
 * {@code false} for such a configuration)
 * @param expiresMaxOnQuery whether a static file requested with a non-empty query string is sent with
 * {@code Expires: Thu, 31 Dec 2037 23:55:55 GMT} and {@code Cache-Control: max-age=315360000}, as nginx's
 * {@code if ($query_string) { expires max; }} does (default true).
 * @param versionCheck whether a static request whose query carries {@code version-param} gets nginx's
 * {@code expires max} only when that value names the file on disk: a hex prefix (5 to 32 characters, any case) of
 * the file's MD5, as Tornado's {@code static_url} and similar helpers write it, or the whole SHA-512 in hex
 * (Tornado 3.1 and later). Any other value (a version the gateway does not have yet during a rolling deploy) is
 * answered with {@code Cache-Control: no-cache} and no {@code Expires}, so that it is never cached for ten
 * years. Hashes are computed once per file change, off the event loops. A query without the parameter keeps the
 * {@code expires-max-on-query} rule (default false).
 * @param versionParam the query parameter that carries the file's version when {@code version-check} is on
 * (default {@code v}, as in {@code /static/app.css?v=8c2f1}); letters, digits, {@code -}, {@code _}, {@code .}
 * or {@code ~}.
 * @param locations several static locations, each with its path prefix, directory and caching rule, as nginx
 * configurations often have ({@code location /assets/ { alias /srv/app/public/; expires 7d; }} beside
 * {@code location /static/ { root /srv/app; }}). When given, they replace the single location of
 * {@code spring.webflux.static-path-pattern} and {@code spring.web.resources.static-locations}, and
 * {@code expires-max-on-query} and {@code version-check} (which apply to that single location) are not read; a
 * request goes to the location with the longest matching prefix, as in nginx. Empty by default.
 */
@ConfigurationProperties(StaticFilesProperties.PREFIX)
public record StaticFilesProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("true") boolean expiresMaxOnQuery, @DefaultValue("false") boolean versionCheck,
		@DefaultValue("v") String versionParam, @Nullable List<Location> locations) {

	/** The prefix of these properties. */
	public static final String PREFIX = "portao.static-files";

	public StaticFilesProperties {
		if (!isParameterName(versionParam)) {
			throw new InvalidConfigurationException(PREFIX + ".version-param", (versionParam != null) ? versionParam : "",
					"a query parameter name of letters, digits, '-', '_', '.' or '~', e.g. v");
		}
		locations = (locations != null) ? List.copyOf(locations) : List.of();
		Set<String> paths = new HashSet<>();
		for (int i = 0; i < locations.size(); i++) {
			Location location = locations.get(i);
			location.check(PREFIX + ".locations[" + i + "].");
			if (!paths.add(location.path())) {
				throw new InvalidConfigurationException(PREFIX + ".locations[" + i + "].path", location.path(),
						"a path no other location has");
			}
		}
	}

	/**
	 * One static location.
	 *
	 * @param path the URL path prefix it serves, starting and ending with {@code /}, e.g. {@code /assets/}; the
	 * path without its last slash ({@code /assets}) is not served, as by nginx's {@code location /assets/}
	 * @param directory the directory a request's path after the prefix is read from: {@code file:/srv/app/public/}
	 * (nginx's {@code alias}; for {@code root /srv/app} write {@code file:/srv/app/assets/}) or {@code classpath:}
	 * @param caching the caching headers: {@code expires-max-on-query} (nginx's {@code if ($query_string) { expires
	 * max; }}, the default), {@code version-check} (as {@code portao.static-files.version-check}: {@code expires max}
	 * only when the {@code version-param} value names the file, {@code no-cache} otherwise; another query keeps
	 * {@code expires max}), {@code max-age} (nginx's {@code expires <time>}: {@code Expires} that far in the future
	 * and {@code Cache-Control: max-age}, on every answer), or {@code none}
	 * @param maxAge with {@code caching: max-age}, how long ({@code 7d}); {@code 315360000s} is nginx's
	 * {@code expires max}, with its fixed {@code Expires: Thu, 31 Dec 2037 23:55:55 GMT}
	 */
	public record Location(@Nullable String path, @Nullable String directory,
			@DefaultValue("expires-max-on-query") Caching caching, @Nullable Duration maxAge) {

		void check(String prefix) {
			if (!isPathPrefix(this.path)) {
				throw new InvalidConfigurationException(prefix + "path", (this.path != null) ? this.path : "",
						"a path prefix starting and ending with '/' of unreserved characters, e.g. /assets/");
			}
			if (this.directory == null
					|| !(this.directory.startsWith("file:") || this.directory.startsWith("classpath:"))) {
				throw new InvalidConfigurationException(prefix + "directory", (this.directory != null) ? this.directory : "",
						"a file: or classpath: directory, e.g. file:/srv/app/public/");
			}
			if (this.caching == Caching.MAX_AGE && (this.maxAge == null || this.maxAge.toSeconds() <= 0)) {
				throw new InvalidConfigurationException(prefix + "max-age", (this.maxAge != null) ? this.maxAge.toString() : "",
						"a duration of at least 1s with caching: max-age, e.g. 7d");
			}
			if (this.caching != Caching.MAX_AGE && this.maxAge != null) {
				throw new InvalidConfigurationException(prefix + "max-age", this.maxAge.toString(),
						"no max-age unless caching is max-age (caching is " + this.caching.propertyValue() + ")");
			}
		}

		/** The directory with its trailing slash, as Spring's resource handler wants it. */
		String directoryWithSlash() {
			return this.directory.endsWith("/") ? this.directory : this.directory + "/";
		}

		private static boolean isPathPrefix(@Nullable String path) {
			if (path == null || !path.startsWith("/") || !path.endsWith("/")) {
				return false;
			}
			return path.length() == 1 || PlainFileResponder.isPlain(path.substring(1, path.length() - 1));
		}

	}

	/** The caching headers of a static location. */
	public enum Caching {

		/** nginx's {@code if ($query_string) { expires max; }}. */
		EXPIRES_MAX_ON_QUERY,

		/** {@code expires max} when the version parameter names the file, {@code no-cache} for another version. */
		VERSION_CHECK,

		/** nginx's {@code expires <time>} on every answer. */
		MAX_AGE,

		/** No caching headers of Portão's own. */
		NONE;

		String propertyValue() {
			return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
		}

	}

	/**
	 * Only RFC 3986 unreserved characters: the name is compared with the raw (still percent-encoded) query, and
	 * {@code =}, {@code &} or a space could never match a parameter as browsers send it.
	 */
	private static boolean isParameterName(String name) {
		if (name == null || name.isEmpty()) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '_' || c == '.' || c == '~';
			if (!ok) {
				return false;
			}
		}
		return true;
	}

}
