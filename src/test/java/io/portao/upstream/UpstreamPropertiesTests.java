package io.portao.upstream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import io.portao.config.InvalidConfigurationException;
import io.portao.upstream.balancing.BalancingPolicy;

import static io.portao.upstream.UpstreamCondition.ERROR;
import static io.portao.upstream.UpstreamCondition.HTTP_503;
import static io.portao.upstream.UpstreamCondition.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every default pinned (nginx's where nginx has the feature), per-upstream overrides, bad values refused. */
class UpstreamPropertiesTests {

	@Test
	void defaultsAreNginxsOrDocumented() {
		UpstreamProperties defaults = UpstreamPropertiesFixtures.defaults();
		assertThat(defaults.policyName()).isEqualTo("round-robin");
		assertThat(defaults.leastTimeDecay()).isEqualTo(Duration.ofSeconds(10));
		assertThat(defaults.maxFails()).isEqualTo(1);
		assertThat(defaults.failTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(defaults.failOn()).containsExactlyInAnyOrder(ERROR, TIMEOUT);
		assertThat(defaults.maxEjectionTime()).isEqualTo(Duration.ofSeconds(300));
		assertThat(defaults.maxEjectedPercent()).isEqualTo(100);
		assertThat(defaults.slowStart()).isZero();
		assertThat(defaults.nextUpstream()).containsExactlyInAnyOrder(ERROR, TIMEOUT);
		assertThat(defaults.nextUpstreamTries()).isZero();
		assertThat(defaults.nextUpstreamTimeout()).isZero();
		assertThat(defaults.retryBudget()).isEqualTo(new RetryBudgetProperties(0.2, 10, Duration.ofSeconds(10)));
		assertThat(defaults.connectTimeout()).isNull();
		assertThat(defaults.responseTimeout()).isNull();
		assertThat(defaults.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
		assertThat(defaults.healthCheck()).isEqualTo(new HealthCheckProperties(false, "/", Duration.ofSeconds(5),
				Duration.ofSeconds(1), 1, 1, List.of("2xx", "3xx")));
	}

	@Test
	void perUpstreamValuesOverrideTheDefaultsPropertyByProperty() {
		UpstreamPropertiesBinder binder = binder(Map.of("portao.upstream.max-fails", "3",
				"portao.upstream.health-check.path", "/health", "portao.upstreams.bapis.policy", "least-time",
				"portao.upstreams.bapis.health-check.enabled", "true", "portao.upstreams.bapis.next-upstream[0]",
				"http_503", "portao.upstreams.other.max-fails", "0"));
		UpstreamProperties bapis = binder.forUpstream("bapis");
		assertThat(bapis.policy()).isEqualTo(BalancingPolicy.LEAST_TIME);
		assertThat(bapis.maxFails()).as("from the defaults block").isEqualTo(3);
		assertThat(bapis.healthCheck().enabled()).isTrue();
		assertThat(bapis.healthCheck().path()).isEqualTo("/health");
		assertThat(bapis.nextUpstream()).isEqualTo(Set.of(HTTP_503));
		assertThat(binder.forUpstream("other").maxFails()).isZero();
		assertThat(binder.forUpstream("unconfigured").maxFails()).isEqualTo(3);
		assertThat(binder.configuredNames()).containsExactly("bapis", "other");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "policy=fastest | portao.upstreams.bapis.policy",
			"max-fails=-1 | portao.upstreams.bapis.max-fails: -1 (expected: >= 0)",
			"fail-timeout=0s | portao.upstreams.bapis.fail-timeout: 0s (expected: a duration > 0",
			"fail-on=non_idempotent | portao.upstreams.bapis.fail-on: [NON_IDEMPOTENT] (expected: any of error",
			"max-ejected-percent=101 | portao.upstreams.bapis.max-ejected-percent: 101 (expected: between 0 and 100)",
			"slow-start=-1s | portao.upstreams.bapis.slow-start: -1s (expected: a duration >= 0",
			"next-upstream=off,error | portao.upstreams.bapis.next-upstream:",
			"next-upstream-tries=-2 | portao.upstreams.bapis.next-upstream-tries: -2 (expected: >= 0)",
			"retry-budget.ratio=-0.5 | portao.upstreams.bapis.retry-budget.ratio: -0.5 (expected: between 0.0",
			"retry-budget.window=1500ms | portao.upstreams.bapis.retry-budget.window: 1500ms (expected: whole seconds",
			"connect-timeout=0s | portao.upstreams.bapis.connect-timeout: 0s (expected: a duration > 0",
			"health-check.path=health | portao.upstreams.bapis.health-check.path: 'health' (expected: a path",
			"health-check.unhealthy-threshold=0 | portao.upstreams.bapis.health-check.unhealthy-threshold: 0",
			"health-check.expected-status=2x | portao.upstreams.bapis.health-check.expected-status: '2x'" })
	void badPerUpstreamValuesNameTheirProperty(String setting, String message) {
		String[] pair = setting.split("=", 2);
		UpstreamPropertiesBinder binder = binder(Map.of("portao.upstreams.bapis." + pair[0], pair[1]));
		assertThatThrownBy(() -> binder.forUpstream("bapis")).hasMessageContaining(message);
	}

	@Test
	void badMetadataIsRefusedWithTheInstanceNamed() {
		DefaultServiceInstance instance = new DefaultServiceInstance("a", "bapis", "127.0.0.1", 8080, false,
				Map.of("weight", "0"));
		assertThatThrownBy(() -> InstanceMetadata.of(instance)).isInstanceOf(InvalidConfigurationException.class)
			.hasMessage("metadata of bapis instance 127.0.0.1:8080: weight: '0' (expected: a whole number from 1 to 1000)");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"max-fails | -1 | metadata of bapis instance 127.0.0.1:8080: max-fails: '-1' (expected: a whole number, 0 or more (0: never ejected after failures))",
			"max-fails | x | metadata of bapis instance 127.0.0.1:8080: max-fails: 'x'",
			"fail-timeout | 0s | metadata of bapis instance 127.0.0.1:8080: fail-timeout: '0s' (expected: a positive duration such as 10s)",
			"fail-timeout | ten | metadata of bapis instance 127.0.0.1:8080: fail-timeout: 'ten'" })
	void badPerInstanceFailureSettingsAreRefusedWithTheInstanceNamed(String key, String value, String message) {
		DefaultServiceInstance instance = new DefaultServiceInstance("a", "bapis", "127.0.0.1", 8080, false,
				Map.of(key, value));
		assertThatThrownBy(() -> InstanceMetadata.of(instance)).isInstanceOf(InvalidConfigurationException.class)
			.hasMessageStartingWith(message);
	}

	@Test
	void perInstanceFailureSettingsFallBackToTheUpstreams() {
		UpstreamProperties upstream = UpstreamPropertiesFixtures.bind(Map.of("max-fails", "2", "fail-timeout", "5s"));
		InstanceMetadata own = InstanceMetadata.of(new DefaultServiceInstance("a", "bapis", "127.0.0.1", 8080, false,
				Map.of("max-fails", "0", "fail-timeout", "1m")));
		assertThat(own.maxFails(upstream)).isZero();
		assertThat(own.failTimeout(upstream)).isEqualTo(Duration.ofMinutes(1));
		assertThat(InstanceMetadata.DEFAULT.maxFails(upstream)).isEqualTo(2);
		assertThat(InstanceMetadata.DEFAULT.failTimeout(upstream)).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void expectedStatusesMatchClassesCodesAndRanges() {
		HealthCheckProperties check = new HealthCheckProperties(true, "/", Duration.ofSeconds(1),
				Duration.ofSeconds(1), 1, 1, List.of("2xx", "301", "400-404"));
		assertThat(List.of(200, 204, 301, 400, 404)).allMatch(check::expects);
		assertThat(List.of(302, 405, 500, 199)).noneMatch(check::expects);
	}

	static UpstreamPropertiesBinder binder(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return new UpstreamPropertiesBinder(environment);
	}

}
