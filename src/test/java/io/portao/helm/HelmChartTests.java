package io.portao.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chart as Helm sees it: it lints cleanly with every scenario, its schema and its cross-value checks refuse
 * bad values with the path of the value, only a changed application.yml rolls the pods, and every value is
 * documented.
 */
class HelmChartTests {

	static List<String> scenarios() {
		return PortaoChart.scenarios();
	}

	/**
	 * {@code helm lint --strict} with a scenario: helm-java's lint reads only the chart's own values.yaml, so the
	 * scenario is merged into a copy of the chart, as {@code helm lint -f} would.
	 */
	@ParameterizedTest
	@MethodSource("scenarios")
	void lintsStrictlyWithEveryScenario(String scenario, @TempDir Path dir) throws IOException {
		Path chart = dir.resolve("portao");
		FileSystemUtils.copyRecursively(PortaoChart.DIR, chart);
		Map<String, Object> values = load(PortaoChart.DIR.resolve("values.yaml"));
		deepMerge(values, load(PortaoChart.DIR.resolve("ci").resolve(scenario)));
		Files.writeString(chart.resolve("values.yaml"), new Yaml().dump(values));
		LintResult lint = new Helm(chart).lint().strict().call();
		assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
		assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
	}

	@Test
	void lintsTheDefaultValues() {
		LintResult lint = new Helm(PortaoChart.DIR).lint().strict().call();
		assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
	}

	static Stream<Arguments> badValues() {
		return Stream.of(Arguments.of("replicaCount: two\n", "/replicaCount"),
				Arguments.of("upstreams:\n  bapis:\n    instances: [{uri: 'http://a:80'}]\n    policy: fastest\n",
						"/upstreams/bapis/policy"),
				Arguments.of("upstreams:\n  bapis:\n    instances: [{uri: 'http://a'}]\n", "/upstreams/bapis/instances/0/uri"),
				Arguments.of("upstreams:\n  bapis:\n    instances: [{uri: 'http://a:80'}]\n    max-fails: -1\n",
						"/upstreams/bapis/max-fails"),
				Arguments.of("discovery:\n  kubernetes:\n    cacheTtl: soon\n", "/discovery/kubernetes/cacheTtl"),
				Arguments.of("containerPorts:\n  http: 80\n  management: 9901\n", "/containerPorts/http"),
				Arguments.of("replicas: 3\n", "replicas"),
				Arguments.of("probes:\n  liveness:\n    successThreshold: 2\n", "/probes/liveness/successThreshold"),
				Arguments.of("probes:\n  startup:\n    successThreshold: 3\n", "/probes/startup/successThreshold"),
				Arguments.of("probes:\n  readiness:\n    periodSeconds: 0\n", "/probes/readiness/periodSeconds"));
	}

	@ParameterizedTest
	@MethodSource("badValues")
	void schemaRefusesBadValuesNamingThem(String yaml, String path, @TempDir Path dir) {
		assertThatThrownBy(() -> PortaoChart.render("default-values.yaml", yaml, dir))
			.hasMessageContaining("values don't meet the specifications of the schema")
			.hasMessageContaining(path);
	}

	static Stream<Arguments> inconsistentValues() {
		return Stream.of(
				Arguments.of("lifecycle:\n  terminationGracePeriodSeconds: 35\n",
						"lifecycle.terminationGracePeriodSeconds: 35 (expected: more than preStopSleepSeconds + shutdownTimeoutSeconds = 35"),
				Arguments.of("tls:\n  enabled: true\n", "tls.enabled: true (expected: tls.existingSecret, or both"),
				Arguments.of("tls:\n  redirect:\n    enabled: true\n", "tls.redirect.enabled: true (expected: only with tls.enabled"),
				Arguments.of("networkPolicy:\n  enabled: true\nmetrics:\n  serviceMonitor:\n    enabled: true\n",
						"networkPolicy.managementFrom: empty (expected: the peers Prometheus scrapes from"),
				Arguments.of("upstreams:\n  shop:\n    policy: round-robin\n",
						"upstreams.shop.instances: empty (expected: at least one instance, or discovery.kubernetes.enabled"));
	}

	@ParameterizedTest
	@MethodSource("inconsistentValues")
	void crossValueChecksStopTheInstall(String yaml, String message, @TempDir Path dir) {
		assertThatThrownBy(() -> PortaoChart.render("default-values.yaml", yaml, dir)).hasMessageContaining(message);
	}

	@Test
	void changedConfigurationRollsThePodsButARotatedCertificateDoesNot(@TempDir Path dir) {
		String base = checksum(PortaoChart.scenario("tls-chart-secret-values.yaml"));
		String newCertificate = "tls:\n  certificate: |\n    -----BEGIN CERTIFICATE-----\n    bmV3\n    -----END CERTIFICATE-----\n";
		String newTimeout = "config:\n  spring:\n    cloud:\n      gateway:\n        server:\n          webflux:\n"
				+ "            httpclient:\n              response-timeout: 5s\n";
		assertThat(checksum(PortaoChart.render("tls-chart-secret-values.yaml", newCertificate, dir))).isEqualTo(base);
		assertThat(checksum(PortaoChart.render("tls-chart-secret-values.yaml", newTimeout, dir))).isNotEqualTo(base);
	}

	private static String checksum(PortaoChart.Rendered rendered) {
		return (String) Yamls.at(rendered.one("Deployment"), "spec", "template", "metadata", "annotations",
				"checksum/config");
	}

	/** Where the chart comes from and under which licence, as in the pom, the image labels and {@code LICENSE}. */
	@Test
	void chartNamesItsHomeSourcesMaintainersAndLicence() throws IOException {
		Map<String, Object> chart = load(PortaoChart.DIR.resolve("Chart.yaml"));
		assertThat(chart).containsKeys("home", "sources", "maintainers");
		assertThat(Yamls.list(chart.get("maintainers"))).isNotEmpty();
		assertThat(Yamls.at(chart, "annotations", "artifacthub.io/license")).isEqualTo("Apache-2.0");
		assertThat(Files.readString(Path.of("LICENSE"))).contains("Apache License", "Version 2.0, January 2004");
		assertThat(Files.readString(Path.of("pom.xml"))).contains("<name>Apache License, Version 2.0</name>");
		assertThat(Files.readString(Path.of("Dockerfile"))).contains("org.opencontainers.image.licenses=\"Apache-2.0\"");
	}

	/** helm-docs style: every key has a {@code # --} comment above it, or sits under a key that has one. */
	@Test
	void everyValueIsDocumented() throws IOException {
		List<String> undocumented = new ArrayList<>();
		List<Integer> documentedIndents = new ArrayList<>();
		for (ValueKey key : valueKeys()) {
			documentedIndents.removeIf(i -> i >= key.indent());
			if (key.documented()) {
				documentedIndents.add(key.indent());
			}
			else if (documentedIndents.isEmpty() && !key.line().endsWith(":")) {
				undocumented.add(key.line());
			}
		}
		assertThat(undocumented).isEmpty();
	}

	/** The chart's README lists exactly the values {@code values.yaml} documents ({@code .ci/chart-readme.py}). */
	@Test
	void theReadmeListsEveryDocumentedValue() throws IOException {
		List<String> documented = valueKeys().stream().filter(ValueKey::documented).map(ValueKey::path).toList();
		List<String> listed = Files.readAllLines(PortaoChart.DIR.resolve("README.md")).stream()
			.filter(line -> line.startsWith("| `"))
			.map(line -> line.substring(3, line.indexOf('`', 3)))
			.toList();
		assertThat(listed).as("helm/portao/README.md; regenerate it with python3 .ci/chart-readme.py")
			.containsExactlyElementsOf(documented);
	}

	/**
	 * One key line of {@code values.yaml}: its dotted path, indentation, text, and whether a {@code # --} comment
	 * is right above it.
	 */
	record ValueKey(String path, int indent, String line, boolean documented) {
	}

	/** The key lines of {@code values.yaml}, in order (list items and comments skipped). */
	static List<ValueKey> valueKeys() throws IOException {
		List<ValueKey> keys = new ArrayList<>();
		List<ValueKey> parents = new ArrayList<>();
		boolean commentAbove = false;
		for (String line : Files.readAllLines(PortaoChart.DIR.resolve("values.yaml"))) {
			String trimmed = line.trim();
			if (trimmed.startsWith("# --")) {
				commentAbove = true;
				continue;
			}
			if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("- ") || !trimmed.contains(":")) {
				continue;
			}
			int indent = line.indexOf(trimmed);
			parents.removeIf(parent -> parent.indent() >= indent);
			String name = trimmed.substring(0, trimmed.indexOf(':')).replace("\"", "");
			String path = parents.isEmpty() ? name : parents.get(parents.size() - 1).path() + "." + name;
			ValueKey key = new ValueKey(path, indent, trimmed, commentAbove);
			parents.add(key);
			keys.add(key);
			commentAbove = false;
		}
		return keys;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> load(Path file) throws IOException {
		Map<String, Object> map = new Yaml().loadAs(Files.readString(file), LinkedHashMap.class);
		return (map != null) ? map : new LinkedHashMap<>();
	}

	@SuppressWarnings("unchecked")
	private static void deepMerge(Map<String, Object> into, Map<String, Object> from) {
		from.forEach((key, value) -> {
			if (value instanceof Map<?, ?> map && into.get(key) instanceof Map<?, ?> existing) {
				deepMerge((Map<String, Object>) existing, (Map<String, Object>) map);
			}
			else {
				into.put(key, value);
			}
		});
	}

}
