package io.portao.staticfiles;

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
 */
@ConfigurationProperties(StaticFilesProperties.PREFIX)
public record StaticFilesProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("true") boolean expiresMaxOnQuery, @DefaultValue("false") boolean versionCheck,
		@DefaultValue("v") String versionParam) {

	/** The prefix of these properties. */
	public static final String PREFIX = "portao.static-files";

	public StaticFilesProperties {
		if (!isParameterName(versionParam)) {
			throw new InvalidConfigurationException(PREFIX + ".version-param", (versionParam != null) ? versionParam : "",
					"a query parameter name of letters, digits, '-', '_', '.' or '~', e.g. v");
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
