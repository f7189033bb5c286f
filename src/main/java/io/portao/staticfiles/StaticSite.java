package io.portao.staticfiles;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.web.WebProperties;
import org.springframework.core.io.ResourceLoader;
import org.springframework.web.server.WebHandler;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import io.portao.config.InvalidConfigurationException;

/**
 * Every static location being served, most specific pattern first (nginx's longest prefix): either the single
 * location of {@code spring.webflux.static-path-pattern} + {@code spring.web.resources.static-locations}, or the
 * list of {@code portao.static-files.locations}. Immutable: a reload builds a new one and swaps it in
 * ({@link StaticFilesHandlerMapping#replace}).
 */
final class StaticSite {

	static final String PATH_PATTERN = "spring.webflux.static-path-pattern";

	static final String LOCATIONS = "spring.web.resources.static-locations";

	private final List<Mapping> mappings;

	private StaticSite(List<Mapping> mappings) {
		List<Mapping> sorted = new ArrayList<>(mappings);
		sorted.sort(Comparator.comparing(Mapping::pattern, PathPattern.SPECIFICITY_COMPARATOR));
		this.mappings = List.copyOf(sorted);
	}

	/** The mappings, most specific first. */
	List<Mapping> mappings() {
		return this.mappings;
	}

	/** What the properties describe; a bad value fails with the property, the value and what was expected. */
	static StaticSite build(StaticFilesProperties properties, WebProperties.Resources resources,
			@Nullable String singlePattern, ResourceLoader resourceLoader) throws Exception {
		ContentHashes hashes = new ContentHashes(Schedulers.boundedElastic(), ContentHashes.DEFAULT_LIMIT);
		List<Mapping> mappings = new ArrayList<>();
		if (properties.locations().isEmpty()) {
			String pattern = checkPattern(singlePattern);
			StaticResourceWebHandler files = files(checkLocations(resources.getStaticLocations()), resources,
					resourceLoader);
			WebHandler handler = properties.expiresMaxOnQuery() ? new Expires.MaxOnQuery(files) : files;
			if (properties.versionCheck()) {
				handler = new VersionCheckedCachingHandler(files, handler, files::resolve, hashes,
						properties.versionParam());
			}
			mappings.add(new Mapping(PathPatternParser.defaultInstance.parse(pattern), handler, files, null));
			return new StaticSite(mappings);
		}
		for (StaticFilesProperties.Location location : properties.locations()) {
			StaticResourceWebHandler files = files(List.of(location.directoryWithSlash()), resources, resourceLoader);
			Expires expires = null;
			WebHandler handler = switch (location.caching()) {
				case EXPIRES_MAX_ON_QUERY -> new Expires.MaxOnQuery(files);
				case VERSION_CHECK -> new VersionCheckedCachingHandler(files, new Expires.MaxOnQuery(files),
						files::resolve, hashes, properties.versionParam());
				case MAX_AGE -> new Expires.Handler(expires = new Expires(location.maxAge()), files);
				case NONE -> files;
			};
			mappings.add(new Mapping(PathPatternParser.defaultInstance.parse(location.path() + "**"), handler, files,
					expires));
		}
		return new StaticSite(mappings);
	}

	private static StaticResourceWebHandler files(List<String> locations, WebProperties.Resources resources,
			ResourceLoader resourceLoader) throws Exception {
		StaticResourceWebHandler handler = new StaticResourceWebHandler(NginxMimeTypes.load());
		handler.setResourceLoader(resourceLoader);
		handler.setLocationValues(locations);
		handler.setUseLastModified(resources.getCache().isUseLastModified());
		handler.setCacheControl(resources.getCache().getCachecontrol().toHttpCacheControl());
		handler.afterPropertiesSet();
		return handler;
	}

	static String checkPattern(@Nullable String pattern) {
		if (pattern == null || !pattern.startsWith("/")) {
			throw new InvalidConfigurationException(PATH_PATTERN, pattern,
					"a path pattern starting with '/', e.g. /static/**");
		}
		return pattern;
	}

	static List<String> checkLocations(String @Nullable [] locations) {
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

	/**
	 * One location: its pattern, the handler with its caching rule, the file handler behind that rule, and the
	 * fixed-time rule when it has one ({@code caching: max-age}), which the static lane applies too.
	 */
	record Mapping(PathPattern pattern, WebHandler handler, StaticResourceWebHandler files,
			@Nullable Expires expires) {

		/**
		 * The directory as in the URL with both slashes ({@code /static/}) when the pattern is a whole directory
		 * ({@code /static/**}), else {@code null}.
		 */
		@Nullable
		String directory() {
			String text = this.pattern.getPatternString();
			return StaticFileLane.supports(text) ? text.substring(0, text.length() - 2) : null;
		}

	}

}
