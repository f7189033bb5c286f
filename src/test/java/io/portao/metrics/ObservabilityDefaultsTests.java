package io.portao.metrics;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.io.ClassPathResource;

import io.portao.accesslog.AccessLogProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the observability defaults of the jar's application.yml and of {@code portao.access-log.*}.
 */
class ObservabilityDefaultsTests {

	static Binder defaults;

	@BeforeAll
	static void load() throws IOException {
		MutablePropertySources sources = new MutablePropertySources();
		new YamlPropertySourceLoader().load("defaults", new ClassPathResource("application.yml"))
			.forEach(sources::addLast);
		defaults = new Binder(ConfigurationPropertySources.from(sources));
	}

	@Test
	void gatewayRouteMetricAndPoolMetricsAreOnWithoutPathTags() {
		assertThat(bool("spring.cloud.gateway.server.webflux.metrics.enabled")).isTrue();
		assertThat(bool("spring.cloud.gateway.server.webflux.httpclient.pool.metrics")).isTrue();
		assertThat(defaults.bind("spring.cloud.gateway.server.webflux.metrics.path-tags.enabled", Boolean.class)
			.orElse(false)).isFalse();
	}

	@Test
	void probesNeverIncludeUpstreamsAndDetailsAreShownOnTheLoopbackPort() {
		assertThat(string("management.endpoint.health.show-details")).isEqualTo("always");
		assertThat(string("management.endpoint.health.group.liveness.include")).isEqualTo("livenessState");
		assertThat(string("management.endpoint.health.group.readiness.include")).isEqualTo("readinessState");
		assertThat(string("management.endpoints.web.exposure.include")).contains("upstreams");
	}

	@Test
	void accessLogIsOnByDefaultAndOffWithOneProperty() {
		assertThat(accessLog(Map.of()).enabled()).isTrue();
		assertThat(accessLog(Map.of("portao.access-log.enabled", "false")).enabled()).isFalse();
	}

	@Test
	void accessLogGoesToStandardOutputInBatchesLikeNginxBufferAndFlush() {
		AccessLogProperties properties = accessLog(Map.of());
		assertThat(properties.toStandardOutput()).isTrue();
		assertThat(properties.buffer()).isEqualTo(org.springframework.util.unit.DataSize.ofKilobytes(64));
		assertThat(properties.flush()).isEqualTo(java.time.Duration.ofSeconds(1));
	}

	private static AccessLogProperties accessLog(Map<String, String> properties) {
		Binder binder = new Binder(List.of(new MapConfigurationPropertySource(properties)));
		return binder.bindOrCreate(AccessLogProperties.PREFIX, Bindable.of(AccessLogProperties.class));
	}

	private static boolean bool(String name) {
		return defaults.bind(name, Boolean.class).orElseThrow(() -> new AssertionError(name + " has no default"));
	}

	private static String string(String name) {
		return defaults.bind(name, String.class).orElseThrow(() -> new AssertionError(name + " has no default"));
	}

}
