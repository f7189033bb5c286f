package io.portao.staticfiles;

import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.web.WebProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webflux.autoconfigure.WebFluxProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.StringUtils;
import org.springframework.web.server.WebHandler;

import io.portao.accesslog.AccessLog;
import io.portao.config.InvalidConfigurationException;
import io.portao.headers.TrustedProxies;
import io.portao.lane.Lane;
import io.portao.lane.LaneConfiguration;
import io.portao.lane.LaneFallback;
import io.portao.lane.LaneRecorder;

/**
 * Static files, nginx's {@code location /static/ { root ...; }}: {@code spring.webflux.static-path-pattern} is
 * served from {@code spring.web.resources.static-locations} by a handler mapping ordered after the actuator's
 * (-100) and before Spring Cloud Gateway's routes (1), so even a {@code Path=/**} route never sees these paths.
 *
 * <p>The caching headers wrap the file handler: nginx's {@code expires max} on a query
 * ({@link ExpiresMaxOnQueryHandler}), and, when {@code portao.static-files.version-check} is on, the version check
 * ({@link VersionCheckedCachingHandler}) in front of both for requests carrying the version parameter.
 *
 * <p>Boot's own registration stays off ({@code spring.web.resources.add-mappings: false}): it also maps
 * {@code /webjars/**}, which would shadow proxied paths.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ WebProperties.class, WebFluxProperties.class })
public class StaticFilesConfiguration {

	/** The handler mapping's order: after the actuator's (-100), before the gateway's routes (1). */
	public static final int ORDER = 0;

	static final String PATH_PATTERN = "spring.webflux.static-path-pattern";

	static final String LOCATIONS = "spring.web.resources.static-locations";

	@Bean
	@ConditionalOnProperty(name = StaticFilesProperties.PREFIX + ".enabled", matchIfMissing = true)
	StaticFilesHandlerMapping staticFilesHandlerMapping(WebFluxProperties webFlux, WebProperties web,
			StaticFilesProperties properties, ResourceLoader resourceLoader) throws Exception {
		String pattern = checkPattern(webFlux.getStaticPathPattern());
		StaticResourceWebHandler files = resourceHandler(web.getResources(), resourceLoader);
		WebHandler handler = properties.expiresMaxOnQuery() ? new ExpiresMaxOnQueryHandler(files) : files;
		if (properties.versionCheck()) {
			handler = new VersionCheckedCachingHandler(files, handler, files::resolve,
					new ContentHashes(Schedulers.boundedElastic(), ContentHashes.DEFAULT_LIMIT), properties.versionParam());
		}
		return new StaticFilesHandlerMapping(pattern, handler, files, ORDER);
	}

	/**
	 * The {@link StaticFileLane} for plain {@code GET}s of files, ahead of Spring's HTTP adapter, unless the lanes
	 * are off ({@code portao.proxy.lane.enabled}); none when the static pattern is not a directory on the file
	 * system or the application has a base path (the lane matches the raw request target). A {@code null} bean is
	 * left out of the lanes.
	 */
	@Bean
	@Order(ORDER)
	@ConditionalOnProperty(name = StaticFilesProperties.PREFIX + ".enabled", matchIfMissing = true)
	@ConditionalOnBooleanProperty(name = LaneConfiguration.ENABLED, matchIfMissing = true)
	@Nullable
	Lane staticFileLane(StaticFilesHandlerMapping mapping, WebFluxProperties webFlux, TrustedProxies trustedProxies,
			LaneFallback fallback, ObjectProvider<AccessLog> accessLog, ApplicationContext context) {
		PlainFileResponder files = mapping.files().plainFiles();
		if (files == null || !StaticFileLane.supports(mapping.pattern()) || StringUtils.hasText(webFlux.getBasePath())) {
			return null;
		}
		return new StaticFileLane(mapping.pattern(), files, trustedProxies, fallback,
				LaneRecorder.create(context, mapping.pattern()), accessLog.getIfAvailable());
	}

	private static StaticResourceWebHandler resourceHandler(WebProperties.Resources resources,
			ResourceLoader resourceLoader) throws Exception {
		StaticResourceWebHandler handler = new StaticResourceWebHandler(NginxMimeTypes.load());
		handler.setResourceLoader(resourceLoader);
		handler.setLocationValues(checkLocations(resources.getStaticLocations()));
		handler.setUseLastModified(resources.getCache().isUseLastModified());
		handler.setCacheControl(resources.getCache().getCachecontrol().toHttpCacheControl());
		handler.afterPropertiesSet();
		return handler;
	}

	static String checkPattern(String pattern) {
		if (pattern == null || !pattern.startsWith("/")) {
			throw new InvalidConfigurationException(PATH_PATTERN, pattern,
					"a path pattern starting with '/', e.g. /static/**");
		}
		return pattern;
	}

	static List<String> checkLocations(String[] locations) {
		if (locations == null || locations.length == 0) {
			throw new InvalidConfigurationException(LOCATIONS, "", "at least one location, e.g. file:/var/www/static/static/");
		}
		for (String location : locations) {
			if (location == null || location.isBlank()) {
				throw new InvalidConfigurationException(LOCATIONS, location,
						"a file: or classpath: directory, e.g. file:/var/www/static/static/");
			}
		}
		return List.of(locations);
	}

}
