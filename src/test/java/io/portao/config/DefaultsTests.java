package io.portao.config;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins every default of the jar's application.yml that mirrors the reference nginx or bounds a resource: a
 * change to one of them must be a decision, made here too.
 */
class DefaultsTests {

	static Binder defaults;

	@BeforeAll
	static void load() throws IOException {
		MutablePropertySources sources = new MutablePropertySources();
		new YamlPropertySourceLoader().load("defaults", new ClassPathResource("application.yml"))
			.forEach(sources::addLast);
		defaults = new Binder(ConfigurationPropertySources.from(sources));
	}

	private static <T> T get(String name, Class<T> type) {
		return defaults.bind(name, type).orElseThrow(() -> new AssertionError(name + " has no default"));
	}

	@Test
	void upstreamTimeoutsAreFinite() {
		assertThat(get("spring.cloud.gateway.server.webflux.httpclient.connect-timeout", Integer.class)).isEqualTo(3000);
		assertThat(get("spring.cloud.gateway.server.webflux.httpclient.response-timeout", Duration.class))
			.isEqualTo(Duration.ofSeconds(60));
		assertThat(get("spring.cloud.gateway.server.webflux.httpclient.pool.max-idle-time", Duration.class))
			.isEqualTo(Duration.ofSeconds(4));
	}

	@Test
	void perRequestObservationsThatDuplicateOtherMetricsAreOff() {
		assertThat(get("spring.cloud.gateway.server.webflux.observability.enabled", Boolean.class)).isFalse();
		assertThat(get("management.metrics.observations.ignored-meters", String.class)).isEqualTo("long-task-timer");
	}

	@Test
	void failedUpstreamAttemptsAreLoggedOnceByPortaoNotAgainByReactorNetty() {
		assertThat(get("logging.level.reactor.netty.http.client.httpclientconnect", String.class)).isEqualTo("error");
	}

	@Test
	void publicPortAndClientKeepAliveMirrorTheReference() {
		assertThat(get("server.port", Integer.class)).isEqualTo(8888);
		assertThat(get("server.netty.idle-timeout", Duration.class)).isEqualTo(Duration.ofSeconds(65));
		assertThat(get("server.shutdown", String.class)).isEqualTo("graceful");
	}

	@Test
	void staticFilesAreServedAheadOfRoutes() {
		assertThat(get("spring.webflux.static-path-pattern", String.class)).isEqualTo("/static/**");
		assertThat(get("spring.web.resources.add-mappings", Boolean.class)).isFalse();
	}

	@Test
	void managementIsOnItsOwnLoopbackPortWithOnlyHealthInfoPrometheusUpstreamsAndReload() {
		assertThat(get("management.server.port", Integer.class)).isEqualTo(9901);
		assertThat(get("management.server.address", String.class)).isEqualTo("127.0.0.1");
		assertThat(get("management.endpoints.web.exposure.include", String.class)).isEqualTo("health,info,prometheus,upstreams,reload");
	}

	@Test
	void requestLineLimitIsFourKilobytesAndShutdownWaitsThirtySeconds() {
		assertThat(get("server.netty.max-initial-line-length", DataSize.class)).isEqualTo(DataSize.ofKilobytes(4));
		assertThat(get("server.max-http-request-header-size", DataSize.class)).isEqualTo(DataSize.ofKilobytes(8));
		assertThat(get("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)).isEqualTo(Duration.ofSeconds(30));
		assertThat(get("management.endpoint.health.show-details", String.class)).isEqualTo("always");
	}

	@Test
	void requestHeaderLimitIsBootsEightKilobytes() {
		assertThat(defaults.bind("server.max-http-request-header-size", DataSize.class).orElse(DataSize.ofKilobytes(8)))
			.isEqualTo(DataSize.ofKilobytes(8));
	}

}
