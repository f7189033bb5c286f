package io.portao.helm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import io.portao.helm.PortaoChart.Rendered;

import static io.portao.helm.Yamls.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The objects {@code helm template} renders for every {@code ci/*-values.yaml} scenario, read back as YAML: the
 * probes, ports and mounts agree with the rendered application.yml, the pod is hardened, draining outlasts the
 * graceful shutdown, and each scenario's features render as Kubernetes expects them.
 */
class HelmChartObjectsTests {

	static List<String> scenarios() {
		return PortaoChart.scenarios();
	}

	@ParameterizedTest
	@MethodSource("scenarios")
	void probesAskTheActuatorGroupsOnTheManagementPort(String scenario) {
		Rendered chart = PortaoChart.scenario(scenario);
		Map<String, Object> config = chart.applicationYml();
		assertThat(chart.containerPort("management")).isEqualTo(at(config, "management", "server", "port"));
		assertThat(at(config, "management", "server", "address")).isEqualTo("0.0.0.0");
		assertThat(chart.containerPort("http")).isEqualTo(at(config, "server", "port"));
		Map<String, Object> container = chart.container();
		assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
		assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
		assertThat(at(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
		for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
			assertThat(at(container, probe, "httpGet", "port")).as(probe).isEqualTo("management");
		}
	}

	@ParameterizedTest
	@MethodSource("scenarios")
	void podIsHardened(String scenario) {
		Rendered chart = PortaoChart.scenario(scenario);
		Map<String, Object> pod = chart.podSpec();
		Map<String, Object> container = chart.container();
		assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
		assertThat(at(pod, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
		assertThat(at(container, "securityContext", "runAsNonRoot")).isEqualTo(true);
		assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
		assertThat(at(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
		assertThat(at(container, "securityContext", "capabilities", "drop")).isEqualTo(List.of("ALL"));
		assertThat(at(container, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
		assertThat(at(container, "securityContext", "capabilities", "add")).isNull();
		assertThat(chart.volumeMount("tmp").get("mountPath")).isEqualTo("/tmp");
		assertThat(chart.volume("tmp")).containsKey("emptyDir");
		assertThat(chart.volumeMount("config").get("mountPath")).isEqualTo("/config");
		assertThat(chart.env()).containsEntry("SPRING_CONFIG_ADDITIONAL_LOCATION", "optional:file:/config/");
	}

	@ParameterizedTest
	@MethodSource("scenarios")
	void drainingOutlastsTheGracefulShutdown(String scenario) {
		Rendered chart = PortaoChart.scenario(scenario);
		List<?> preStop = Yamls.list(at(chart.container(), "lifecycle", "preStop", "exec", "command"));
		assertThat(preStop).hasSize(2).first().isEqualTo("sleep");
		int sleep = Integer.parseInt((String) preStop.get(1));
		String phase = (String) at(chart.applicationYml(), "spring", "lifecycle", "timeout-per-shutdown-phase");
		int shutdown = Integer.parseInt(phase.replace("s", ""));
		assertThat((Integer) chart.podSpec().get("terminationGracePeriodSeconds")).isGreaterThan(sleep + shutdown);
		assertThat(sleep).isPositive();
	}

	@ParameterizedTest
	@ValueSource(strings = { "tls-chart-secret-values.yaml", "tls-existing-secret-values.yaml" })
	void tlsSecretIsMountedAsADirectoryWhereTheBundleReadsIt(String scenario) {
		Rendered chart = PortaoChart.scenario(scenario);
		Map<String, Object> config = chart.applicationYml();
		Map<String, Object> mount = chart.volumeMount("tls");
		assertThat(mount).doesNotContainKey("subPath").containsEntry("readOnly", true);
		String dir = (String) mount.get("mountPath");
		assertThat(at(config, "server", "ssl", "bundle")).isEqualTo("web");
		Map<String, Object> bundle = Yamls.map(at(config, "spring", "ssl", "bundle", "pem", "web"));
		assertThat(at(bundle, "keystore", "certificate")).isEqualTo("file:" + dir + "/tls.crt");
		assertThat(at(bundle, "keystore", "private-key")).isEqualTo("file:" + dir + "/tls.key");
		assertThat(bundle).containsEntry("reload-on-update", true);
		assertThat(at(bundle, "keystore", "verify-keys")).isEqualTo(true);
		String secretName = (String) at(chart.volume("tls"), "secret", "secretName");
		assertThat(Yamls.list(at(chart.volume("tls"), "secret", "items")))
			.extracting(item -> at(item, "path")).containsExactlyInAnyOrder("tls.crt", "tls.key");
		List<Map<String, Object>> secrets = chart.all("Secret");
		if (scenario.contains("existing")) {
			assertThat(secretName).isEqualTo("bapis-example-com-tls");
			assertThat(secrets).isEmpty();
			return;
		}
		assertThat(secrets).singleElement().satisfies(secret -> {
			assertThat(at(secret, "metadata", "name")).isEqualTo(secretName);
			assertThat(secret.get("type")).isEqualTo("kubernetes.io/tls");
			assertThat(Yamls.map(secret.get("data"))).containsOnlyKeys("tls.crt", "tls.key");
		});
		assertThat(at(config, "portao", "tls", "redirect-port")).isEqualTo(chart.containerPort("redirect"));
	}

	@Test
	void staticInstancesKeepSpringCloudKubernetesOff() {
		Rendered chart = PortaoChart.scenario("default-values.yaml");
		assertThat(chart.env()).containsEntry("SPRING_MAIN_CLOUD_PLATFORM", "none").doesNotContainKey("SPRING_PROFILES_ACTIVE");
		assertThat(chart.podSpec()).containsEntry("automountServiceAccountToken", false);
		assertThat(chart.all("Role")).isEmpty();
		assertThat(at(chart.applicationYml(), "spring", "cloud", "discovery", "client", "simple", "instances", "bapis"))
			.isEqualTo(List.of(Map.of("uri", "http://bapis-0.bapis:8080"), Map.of("uri", "http://bapis-1.bapis:8080")));
		assertThat(Yamls.list(at(chart.one("Service"), "spec", "ports"))).singleElement()
			.satisfies(port -> assertThat(at(port, "targetPort")).isEqualTo("http"));
	}

	@Test
	void kubernetesDiscoveryActivatesTheProfileWithReadOnlyRbacInEachNamespace() {
		Rendered chart = PortaoChart.scenario("kubernetes-discovery-values.yaml");
		assertThat(chart.env()).containsEntry("SPRING_PROFILES_ACTIVE", "kubernetes")
			.containsEntry("SPRING_MAIN_CLOUD_PLATFORM", "kubernetes");
		assertThat(chart.podSpec()).containsEntry("automountServiceAccountToken", true);
		Map<String, Object> config = chart.applicationYml();
		assertThat(Yamls.map(at(config, "spring", "cloud", "discovery", "client", "simple", "instances")))
			.containsOnlyKeys("legacy");
		assertThat(at(config, "spring", "cloud", "kubernetes", "discovery", "namespaces")).isEqualTo(List.of("apps", "edge"));
		assertThat(at(config, "spring", "cloud", "loadbalancer", "cache", "ttl")).isEqualTo("2s");
		assertThat(chart.all("Role")).extracting(r -> at(r, "metadata", "namespace")).containsExactly("apps", "edge");
		for (Map<String, Object> role : chart.all("Role")) {
			assertThat(Yamls.list(role.get("rules"))).anySatisfy(rule -> {
				assertThat(Yamls.list(at(rule, "resources"))).contains("services", "endpoints");
				assertThat(Yamls.list(at(rule, "verbs"))).containsExactly("get", "list", "watch");
			});
			assertThat(Yamls.list(role.get("rules"))).allSatisfy(rule -> assertThat(Yamls.list(at(rule, "verbs")))
				.doesNotContain("create", "update", "patch", "delete"));
		}
		// The gateway reads its own Pod in the release namespace only.
		assertThat(chart.all("Role")).filteredOn(r -> Yamls.list(r.get("rules")).stream()
			.anyMatch(rule -> Yamls.list(at(rule, "resources")).contains("pods")))
			.extracting(r -> at(r, "metadata", "namespace")).containsExactly(PortaoChart.NAMESPACE);
		String serviceAccount = (String) chart.podSpec().get("serviceAccountName");
		assertThat(chart.all("RoleBinding")).hasSize(2).allSatisfy(binding -> {
			assertThat(at(binding, "subjects", "0", "name")).isEqualTo(serviceAccount);
			assertThat(at(binding, "subjects", "0", "namespace")).isEqualTo(PortaoChart.NAMESPACE);
		});
	}

	@Test
	void upstreamPolicyKeysPassThroughAsIs() {
		Map<String, Object> config = PortaoChart.scenario("static-files-policies-values.yaml").applicationYml();
		assertThat(at(config, "portao", "upstreams", "bapis")).isEqualTo(Map.of("policy", "least-time",
				"max-fails", 3, "fail-timeout", "30s", "health-check", Map.of("path", "/healthz", "interval", "5s")));
		assertThat(at(config, "portao", "static-files", "expires-max-on-query")).isEqualTo(false);
		assertThat(at(config, "portao", "static-files", "version-check")).isEqualTo(true);
		assertThat(at(config, "spring", "cloud", "gateway", "server", "webflux", "httpclient", "response-timeout"))
			.isEqualTo("30s");
		assertThat(at(config, "spring", "web", "resources", "static-locations")).isEqualTo("file:/var/www/static/static/");
	}

	/**
	 * {@code jvmOptions} reaches the image as {@code JAVA_OPTS}, which its ENTRYPOINT puts after its own flags
	 * (DockerImageIntegrationTests shows the JVM taking it); {@code JAVA_TOOL_OPTIONS} is left unset.
	 */
	@Test
	void jvmOptionsComeAfterTheImagesFlags() {
		Rendered chart = PortaoChart.scenario("static-files-policies-values.yaml");
		assertThat(chart.env()).containsEntry("JAVA_OPTS", "-XX:MaxRAMPercentage=60").doesNotContainKey("JAVA_TOOL_OPTIONS");
	}

	@Test
	void autoscalingDisruptionBudgetMonitoringAndNetworkPolicy() {
		Rendered chart = PortaoChart.scenario("hpa-pdb-servicemonitor-networkpolicy-values.yaml");
		assertThat(Yamls.map(at(chart.one("Deployment"), "spec"))).doesNotContainKey("replicas");
		Map<String, Object> hpa = chart.one("HorizontalPodAutoscaler");
		assertThat(at(hpa, "spec", "scaleTargetRef", "name")).isEqualTo(at(chart.one("Deployment"), "metadata", "name"));
		assertThat(at(hpa, "spec", "minReplicas")).isEqualTo(3);
		assertThat(Yamls.list(at(hpa, "spec", "metrics"))).hasSize(2);
		assertThat(at(chart.one("PodDisruptionBudget"), "spec", "minAvailable")).isEqualTo(2);
		Map<String, Object> monitor = chart.one("ServiceMonitor");
		assertThat(at(monitor, "spec", "endpoints", "0", "port")).isEqualTo("management");
		assertThat(at(monitor, "spec", "endpoints", "0", "path")).isEqualTo("/actuator/prometheus");
		assertThat(at(monitor, "metadata", "labels", "release")).isEqualTo("kube-prometheus-stack");
		Map<String, Object> policy = chart.one("NetworkPolicy");
		List<Object> rules = Yamls.list(at(policy, "spec", "ingress"));
		assertThat(rules).hasSize(2);
		assertThat(at(rules.get(0), "ports", "0", "port")).isEqualTo("http");
		assertThat(at(rules.get(1), "ports", "0", "port")).isEqualTo("management");
		assertThat(at(rules.get(1), "from", "0", "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name"))
			.isEqualTo("monitoring");
		assertThat(chart.all("Service")).extracting(s -> at(s, "metadata", "name"))
			.containsExactlyInAnyOrder("gw-portao", "gw-portao-management");
	}

	@Test
	void publicServiceNeverExposesTheManagementPort() {
		for (String scenario : PortaoChart.scenarios()) {
			Map<String, Object> service = PortaoChart.scenario(scenario).all("Service").stream()
				.filter(s -> "gw-portao".equals(at(s, "metadata", "name"))).findFirst().orElseThrow();
			assertThat(Yamls.list(at(service, "spec", "ports"))).as(scenario)
				.noneMatch(p -> "management".equals(at(p, "targetPort")));
		}
	}

	@Test
	void alertsAreAPrometheusRuleOnlyWhenAskedWithTheRulesOfThePlainFile(@TempDir Path dir) throws Exception {
		assertThat(PortaoChart.scenario("default-values.yaml").all("PrometheusRule")).isEmpty();

		Rendered chart = PortaoChart.render("default-values.yaml",
				"metrics:\n  prometheusRule:\n    enabled: true\n    labels:\n      release: kube-prometheus-stack\n", dir);

		Map<String, Object> rule = chart.one("PrometheusRule");
		assertThat(at(rule, "metadata", "labels", "release")).isEqualTo("kube-prometheus-stack");
		Map<String, Object> plain = new Yaml().load(Files.readString(PortaoChart.DIR.resolve("files/portao-alerts.yml")));
		assertThat(at(rule, "spec", "groups")).as("the plain rules file's groups, unchanged").isEqualTo(plain.get("groups"));
		assertThat(Yamls.list(at(rule, "spec", "groups", "0", "rules"))).extracting(r -> at(r, "alert"))
			.containsExactly("PortaoServerOut", "PortaoUpstreamAllDown", "PortaoEdge5xxRate",
					"PortaoCertificateExpiringSoon", "PortaoAccessLogDropping");
	}

	@Test
	void replicasPreferSeparateNodesByDefaultAndServiceLinksStayOff(@TempDir Path dir) {
		Map<String, Object> pod = PortaoChart.scenario("default-values.yaml").podSpec();
		assertThat(pod.get("enableServiceLinks")).as("no SERVER_PORT from a Service named server").isEqualTo(false);
		Object preferred = at(pod, "affinity", "podAntiAffinity", "preferredDuringSchedulingIgnoredDuringExecution", "0");
		assertThat(at(preferred, "podAffinityTerm", "topologyKey")).isEqualTo("kubernetes.io/hostname");
		assertThat(Yamls.map(at(preferred, "podAffinityTerm", "labelSelector", "matchLabels")))
			.containsEntry("app.kubernetes.io/name", "portao").containsEntry("app.kubernetes.io/instance", "gw");

		Map<String, Object> hard = PortaoChart.render("default-values.yaml", "podAntiAffinity: hard\n", dir).podSpec();
		assertThat(at(hard, "affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "0",
				"topologyKey")).isEqualTo("kubernetes.io/hostname");
		assertThat(PortaoChart.render("default-values.yaml", "podAntiAffinity: none\n", dir).podSpec())
			.doesNotContainKey("affinity");
		Map<String, Object> own = PortaoChart.render("default-values.yaml",
				"affinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n"
						+ "        - matchExpressions:\n            - {key: edge, operator: Exists}\n", dir)
			.podSpec();
		assertThat(Yamls.map(own.get("affinity"))).as("the user's affinity replaces it").containsOnlyKeys("nodeAffinity");
	}

	@Test
	void everyStartupProbeKeyTheSchemaAcceptsReachesThePod(@TempDir Path dir) {
		Map<String, Object> container = PortaoChart.render("default-values.yaml",
				"probes:\n  startup:\n    initialDelaySeconds: 7\n    successThreshold: 1\n    terminationGracePeriodSeconds: 9\n",
				dir)
			.container();
		assertThat(Yamls.map(container.get("startupProbe"))).containsEntry("initialDelaySeconds", 7)
			.containsEntry("successThreshold", 1)
			.containsEntry("terminationGracePeriodSeconds", 9)
			.containsEntry("periodSeconds", 2)
			.containsEntry("failureThreshold", 60);
	}

	@Test
	void theDashboardIsAConfigMapForGrafanasSidecarOnlyWhenAsked(@TempDir Path dir) throws Exception {
		String dashboard = Files.readString(Path.of("dashboards/portao.json"));
		assertThat(Files.readString(PortaoChart.DIR.resolve("files/portao-dashboard.json")))
			.as("the chart's copy is dashboards/portao.json").isEqualTo(dashboard);
		assertThat(PortaoChart.scenario("default-values.yaml").all("ConfigMap")).hasSize(1);

		Rendered chart = PortaoChart.render("default-values.yaml", "metrics:\n  grafanaDashboard:\n    enabled: true\n", dir);

		Map<String, Object> map = chart.all("ConfigMap").stream()
			.filter(c -> "gw-portao-dashboard".equals(at(c, "metadata", "name"))).findFirst().orElseThrow();
		assertThat(at(map, "metadata", "labels", "grafana_dashboard")).isEqualTo("1");
		assertThat(((String) at(map, "data", "portao.json")).strip()).isEqualTo(dashboard.strip());
	}

}
