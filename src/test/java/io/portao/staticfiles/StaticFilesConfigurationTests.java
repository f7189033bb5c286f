package io.portao.staticfiles;

import java.util.Map;

import io.portao.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StaticFilesConfigurationTests {

	@Test
	void pathPatternMustBeAbsolute() {
		assertThat(StaticFilesConfiguration.checkPattern("/static/**")).isEqualTo("/static/**");
		assertThatThrownBy(() -> StaticFilesConfiguration.checkPattern("static/**"))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessage("spring.webflux.static-path-pattern: 'static/**' (expected: a path pattern starting with '/', e.g. /static/**)");
	}

	@Test
	void locationsMustBeGiven() {
		assertThat(StaticFilesConfiguration.checkLocations(new String[] { "classpath:/demo-static/" }))
			.containsExactly("classpath:/demo-static/");
		assertThatThrownBy(() -> StaticFilesConfiguration.checkLocations(new String[0]))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageStartingWith("spring.web.resources.static-locations: ''");
		assertThatThrownBy(() -> StaticFilesConfiguration.checkLocations(new String[] { " " }))
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

	private static StaticFilesProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties))
			.bindOrCreate(StaticFilesProperties.PREFIX, Bindable.of(StaticFilesProperties.class));
	}

}
