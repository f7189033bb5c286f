package io.portao.staticfiles;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What Portão adds to Spring's static-resource settings. Where files are served from and under which path are
 * Spring's own {@code spring.web.resources.static-locations} and {@code spring.webflux.static-path-pattern};
 * {@code spring.web.resources.cache.cachecontrol.*} and {@code spring.web.resources.cache.use-last-modified}
 * apply as well.
 *
 * @param expiresMaxOnQuery whether a static file requested with a non-empty query string is sent with
 * {@code Expires: Thu, 31 Dec 2037 23:55:55 GMT} and {@code Cache-Control: max-age=315360000}, as nginx's
 * {@code if ($query_string) { expires max; }} does (default true).
 */
@ConfigurationProperties(StaticFilesProperties.PREFIX)
public record StaticFilesProperties(@DefaultValue("true") boolean expiresMaxOnQuery) {

	/** The prefix of these properties. */
	public static final String PREFIX = "portao.static-files";

}
