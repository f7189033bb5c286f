package io.portao.aot;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up guard's replay of recorded conditions against a start's own environment: the same configuration
 * decides the same, each kind of change that alters a condition is found and named.
 */
class ConditionReplayTests {

	private static final String ON_PROPERTY = "org.springframework.boot.autoconfigure.condition.OnPropertyCondition";

	private static final String ACCESS_LOG = key("io.portao.accesslog.AccessLogConfiguration", ON_PROPERTY);

	private static final String REDIRECT = key("io.portao.tls.TlsConfiguration#httpRedirectServer", ON_PROPERTY);

	private static final String DIFFERENT_MANAGEMENT_PORT = key(
			"org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextAutoConfiguration"
					+ "$DifferentManagementContextConfiguration",
			"org.springframework.boot.actuate.autoconfigure.web.server.OnManagementPortCondition");

	private static final String KUBERNETES = key(
			"org.springframework.cloud.kubernetes.commons.KubernetesCommonsAutoConfiguration",
			"org.springframework.boot.autoconfigure.condition.OnCloudPlatformCondition");

	@Test
	void theBuildsConfigurationDecidesTheSame() {
		StandardEnvironment environment = theBuildsPortsAnd();
		assertThat(differences(environment)).isEmpty();
	}

	@Test
	void aFeatureSwitchedOffIsFound() {
		StandardEnvironment environment = theBuildsPortsAnd("portao.access-log.enabled", "false");
		assertThat(differences(environment)).containsExactly(
				"OnPropertyCondition on io.portao.accesslog.AccessLogConfiguration: true at build time, false now");
	}

	@Test
	void aConditionOnABeanMethodIsDecidedOnThatMethod() {
		StandardEnvironment environment = theBuildsPortsAnd("portao.tls.redirect-port", "8080");
		assertThat(differences(environment)).containsExactly(
				"OnPropertyCondition on io.portao.tls.TlsConfiguration#httpRedirectServer: false at build time, true now");
	}

	@Test
	void theManagementServerOnThePublicPortIsFound() {
		StandardEnvironment environment = environment(Map.of("server.port", "8888", "management.server.port", "8888"));
		assertThat(differences(environment)).singleElement()
			.asString()
			.startsWith("OnManagementPortCondition on ")
			.endsWith("$DifferentManagementContextConfiguration: true at build time, false now");
	}

	@Test
	void anotherPortOfTheSameKindDecidesTheSame() {
		StandardEnvironment environment = environment(Map.of("server.port", "443", "management.server.port", "9000"));
		assertThat(differences(environment)).isEmpty();
	}

	@Test
	void aKubernetesPodIsFoundThroughItsEnvironmentVariables() {
		StandardEnvironment environment = theBuildsPortsAnd();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1", "KUBERNETES_SERVICE_PORT", "443")));
		assertThat(differences(environment)).containsExactly("OnCloudPlatformCondition on "
				+ "org.springframework.cloud.kubernetes.commons.KubernetesCommonsAutoConfiguration: false at build time, true now");
	}

	@Test
	void anActiveProfileIsFound() {
		StandardEnvironment environment = theBuildsPortsAnd();
		environment.setActiveProfiles("demo");
		assertThat(differences(environment)).containsExactly("profiles: '' at build time, 'demo' now");
	}

	@Test
	void anExcludedAutoConfigurationIsFound() {
		StandardEnvironment environment = theBuildsPortsAnd("spring.autoconfigure.exclude", "a.B,c.D");
		assertThat(differences(environment))
			.containsExactly("spring.autoconfigure.exclude: '' at build time, 'a.B,c.D' now");
	}

	@Test
	void aConditionThatCannotBeDecidedAgainCountsAsADifference() {
		SortedMap<String, String> recorded = record();
		recorded.put(key("io.portao.NoSuchConfiguration", ON_PROPERTY), "true");
		List<String> differences = differences(theBuildsPortsAnd(), recorded);
		assertThat(differences).singleElement()
			.asString()
			.startsWith("OnPropertyCondition on io.portao.NoSuchConfiguration could not be decided again: ");
	}

	@Test
	void aRecordWithoutItsInputsIsIncomplete() {
		SortedMap<String, String> recorded = record();
		recorded.remove(BuildConditions.PROFILES);
		List<String> differences = differences(theBuildsPortsAnd(), recorded);
		assertThat(differences).containsExactly("profiles: not recorded at build time");
	}

	/** What the jar's build records for these conditions, with its own application.yml. */
	private static SortedMap<String, String> record() {
		SortedMap<String, String> recorded = new TreeMap<>();
		recorded.put(ACCESS_LOG, "true");
		recorded.put(REDIRECT, "false");
		recorded.put(DIFFERENT_MANAGEMENT_PORT, "true");
		recorded.put(KUBERNETES, "false");
		recorded.put(BuildConditions.PROFILES, "");
		for (String name : BuildConditions.INPUT_PROPERTIES) {
			recorded.put(BuildConditions.INPUT + name, "");
		}
		return recorded;
	}

	private List<String> differences(StandardEnvironment environment) {
		return differences(environment, record());
	}

	private List<String> differences(StandardEnvironment environment, SortedMap<String, String> recorded) {
		return new ConditionReplay(environment, getClass().getClassLoader()).differences(recorded, true);
	}

	/** The build's public and management ports (application.yml's), and these {@code name, value} pairs. */
	private static StandardEnvironment theBuildsPortsAnd(String... properties) {
		Map<String, Object> map = new HashMap<>(Map.of("server.port", "8888", "management.server.port", "9901"));
		for (int i = 0; i < properties.length; i += 2) {
			map.put(properties[i], properties[i + 1]);
		}
		return environment(map);
	}

	private static StandardEnvironment environment(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							Map.of()));
		return environment;
	}

	private static String key(String source, String condition) {
		return BuildConditions.key(0, source, condition);
	}

}
