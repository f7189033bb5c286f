package io.portao.staticfiles;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.portao.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.web.WebProperties;
import org.springframework.core.io.DefaultResourceLoader;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StaticSiteTests {

	@Test
	void pathPatternMustBeAbsolute() {
		assertThat(StaticSite.checkPattern("/static/**")).isEqualTo("/static/**");
		assertThatThrownBy(() -> StaticSite.checkPattern("static/**"))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessage("spring.webflux.static-path-pattern: 'static/**' (expected: a path pattern starting with '/', e.g. /static/**)");
	}

	@Test
	void locationsMustBeGiven() {
		assertThat(StaticSite.checkLocations(new String[] { "classpath:/demo-static/" }))
			.containsExactly("classpath:/demo-static/");
		assertThatThrownBy(() -> StaticSite.checkLocations(new String[0]))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageStartingWith("spring.web.resources.static-locations: ''");
		assertThatThrownBy(() -> StaticSite.checkLocations(new String[] { " " }))
			.hasMessageStartingWith("spring.web.resources.static-locations: ' ' (expected: a file: or classpath:");
	}

	@Test
	void expiresMaxOnQueryDefaultsToTrue() {
		assertThat(bind(Map.of()).expiresMaxOnQuery()).isTrue();
		assertThat(bind(Map.of("portao.static-files.expires-max-on-query", "false")).expiresMaxOnQuery()).isFalse();
	}

	@Test
	void expiresMaxOnQueryRejectsWhatIsNotABoolean() {
		assertThatThrownBy(() -> bind(Map.of("portao.static-files.expires-max-on-query", "maybe")))
			.isInstanceOf(BindException.class)
			.hasMessageContaining("portao.static-files.expires-max-on-query")
			.hasStackTraceContaining("maybe")
			.hasStackTraceContaining("boolean");
	}

	@Test
	void versionCheckIsOffWithParameterV() {
		StaticFilesProperties defaults = bind(Map.of());

		assertThat(defaults.versionCheck()).isFalse();
		assertThat(defaults.enabled()).isTrue();
		assertThat(bind(Map.of("portao.static-files.enabled", "false")).enabled()).isFalse();
		assertThat(defaults.versionParam()).isEqualTo("v");
		StaticFilesProperties set = bind(Map.of("portao.static-files.version-check", "true",
				"portao.static-files.version-param", "version"));
		assertThat(set.versionCheck()).isTrue();
		assertThat(set.versionParam()).isEqualTo("version");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "v=", "a&b", "v 1", "%76" })
	void versionParamMustBeAPlainParameterName(String name) {
		assertThatThrownBy(() -> bind(Map.of("portao.static-files.version-param", name)))
			.hasRootCauseInstanceOf(InvalidConfigurationException.class)
			.rootCause()
			.hasMessage("portao.static-files.version-param: '" + name
					+ "' (expected: a query parameter name of letters, digits, '-', '_', '.' or '~', e.g. v)");
	}

	@Test
	void severalLocationsBindWithTheirCachingRules() {
		StaticFilesProperties properties = bind(Map.of("portao.static-files.locations[0].path", "/assets/",
				"portao.static-files.locations[0].directory", "file:/srv/public", "portao.static-files.locations[0].caching",
				"max-age", "portao.static-files.locations[0].max-age", "7d", "portao.static-files.locations[1].path",
				"/static/", "portao.static-files.locations[1].directory", "classpath:/demo-static/"));

		assertThat(properties.locations()).hasSize(2);
		StaticFilesProperties.Location assets = properties.locations().get(0);
		assertThat(assets.caching()).isEqualTo(StaticFilesProperties.Caching.MAX_AGE);
		assertThat(assets.maxAge()).isEqualTo(Duration.ofDays(7));
		assertThat(assets.directoryWithSlash()).isEqualTo("file:/srv/public/");
		assertThat(properties.locations().get(1).caching()).isEqualTo(StaticFilesProperties.Caching.EXPIRES_MAX_ON_QUERY);
		assertThat(bind(Map.of()).locations()).isEmpty();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"path=assets/|portao.static-files.locations[0].path: 'assets/' (expected: a path prefix starting and ending with '/'",
			"path=/assets|portao.static-files.locations[0].path: '/assets' (expected:",
			"path=/a/../b/|portao.static-files.locations[0].path: '/a/../b/' (expected:",
			"path=/a/*/|portao.static-files.locations[0].path: '/a/*/' (expected:",
			"directory=/srv/public/|portao.static-files.locations[0].directory: '/srv/public/' (expected: a file: or classpath: directory",
			"caching=max-age|portao.static-files.locations[0].max-age: '' (expected: a duration of at least 1s with caching: max-age",
			"max-age=7d|portao.static-files.locations[0].max-age: 'PT168H' (expected: no max-age unless caching is max-age (caching is expires-max-on-query))" })
	void aBadLocationIsRefusedNamingItsProperty(String change, String message) {
		Map<String, String> properties = new java.util.HashMap<>(Map.of("portao.static-files.locations[0].path", "/assets/",
				"portao.static-files.locations[0].directory", "file:/srv/public/"));
		String[] keyValue = change.split("=", 2);
		properties.put("portao.static-files.locations[0]." + keyValue[0], keyValue[1]);

		assertThatThrownBy(() -> bind(properties)).rootCause()
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageStartingWith(message);
	}

	@Test
	void twoLocationsMayNotShareAPath() {
		assertThatThrownBy(() -> bind(Map.of("portao.static-files.locations[0].path", "/a/",
				"portao.static-files.locations[0].directory", "file:/x/", "portao.static-files.locations[1].path", "/a/",
				"portao.static-files.locations[1].directory", "file:/y/")))
			.rootCause()
			.hasMessage("portao.static-files.locations[1].path: '/a/' (expected: a path no other location has)");
	}

	@Test
	void theLongestPrefixComesFirstAsInNginx() throws Exception {
		StaticFilesProperties properties = bind(Map.of("portao.static-files.locations[0].path", "/static/",
				"portao.static-files.locations[0].directory", "classpath:/demo-static/",
				"portao.static-files.locations[1].path", "/static/img/", "portao.static-files.locations[1].directory",
				"classpath:/demo-static/", "portao.static-files.locations[2].path", "/s/",
				"portao.static-files.locations[2].directory", "classpath:/demo-static/"));

		StaticSite site = StaticSite.build(properties, new WebProperties.Resources(), "/ignored/**",
				new DefaultResourceLoader());

		assertThat(site.mappings()).extracting(mapping -> mapping.pattern().getPatternString())
			.containsExactly("/static/img/**", "/static/**", "/s/**");
		assertThat(site.mappings()).extracting(StaticSite.Mapping::directory)
			.containsExactly("/static/img/", "/static/", "/s/");
	}

	@Test
	void expiresAfterIsNginxsExpiresTime() {
		long now = Instant.parse("2026-12-04T05:00:00.250Z").toEpochMilli();
		Map<String, String> headers = new java.util.LinkedHashMap<>();

		new Expires(Duration.ofDays(7)).set(headers::put, now);

		assertThat(headers).containsExactly(Map.entry("Expires", "Fri, 11 Dec 2026 05:00:00 GMT"),
				Map.entry("Cache-Control", "max-age=604800"));
		headers.clear();
		new Expires(Duration.ofSeconds(Expires.MAX_SECONDS)).set(headers::put, now);
		assertThat(headers).containsExactly(Map.entry("Expires", "Thu, 31 Dec 2037 23:55:55 GMT"),
				Map.entry("Cache-Control", "max-age=315360000"));
		assertThat(new Expires(Duration.ofHours(1)).expires(Instant.parse("2027-01-01T00:00:00Z").toEpochMilli()))
			.isEqualTo("Fri, 01 Jan 2027 01:00:00 GMT");
	}

	private static StaticFilesProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties))
			.bindOrCreate(StaticFilesProperties.PREFIX, Bindable.of(StaticFilesProperties.class));
	}

}
