package io.portao.metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import io.portao.support.FakeBackend;
import io.portao.support.FreePorts;
import io.portao.support.GatewayClient;
import io.portao.support.KeepAliveLoad;
import io.portao.support.PortaoJar;
import io.portao.support.PrometheusProcess;
import io.portao.support.TestCertificates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard against a real Prometheus (Debian's package): the packaged jar runs with two instances of
 * {@code bapis}, one of them down (nothing listens on its port; active health checks mark it {@code DOWN}), under a
 * little load with some 404s, and an SSL bundle; Prometheus scrapes its management port every second. Every query of
 * every panel and variable, with the variables substituted as Grafana's "All" does, is then run through Prometheus's
 * HTTP API: each must return data, and the state panel must show the down instance as {@code DOWN} (2) and the other
 * as {@code UP} (0). The alerting rules pass {@code promtool check rules}, and, loaded into that Prometheus with their
 * {@code for} shortened, fire "server out" for the down servers and "all down" for the upstream whose only server
 * is down, and nothing else.
 */
class DashboardPrometheusIntegrationTests {

	/** Grafana's "All" ({@code allValue}) for every query variable, and a short rate window for a short test. */
	static final Map<String, String> VARIABLES = Map.of("$job", "portao", "$namespace", ".*", "$pod", ".*",
			"$upstream", ".*", "$__rate_interval", "20s");

	/** The alerting rules, a plain rules file that the chart's PrometheusRule carries too. */
	static final Path RULES = Path.of("helm/portao/files/portao-alerts.yml");

	@TempDir
	static Path dir;

	static final FakeBackend up = FakeBackend.start("up");

	static final int DOWN_PORT = FreePorts.next();

	/** The one instance of upstream {@code gone}: every server of that upstream is down. */
	static final int GONE_PORT = FreePorts.next();

	static final int PORT = FreePorts.next();

	static final int MANAGEMENT_PORT = FreePorts.next();

	static PortaoJar gateway;

	static PrometheusProcess prometheus;

	static KeepAliveLoad load;

	@BeforeAll
	static void start() throws Exception {
		PrometheusProcess.assumeInstalled();
		TestCertificates.Pem pem = TestCertificates.generate(Files.createDirectories(dir.resolve("tls")), "probe",
				"localhost");
		String instances = "--spring.cloud.discovery.client.simple.instances.bapis";
		gateway = PortaoJar.start(dir, List.of("--server.port=" + PORT, "--management.server.port=" + MANAGEMENT_PORT,
				instances + "[0].uri=" + up.uri(), instances + "[1].uri=http://127.0.0.1:" + DOWN_PORT,
				"--spring.cloud.gateway.server.webflux.routes[0].id=bapis",
				"--spring.cloud.gateway.server.webflux.routes[0].uri=lb://bapis",
				"--spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/**",
				instances.replace("bapis", "gone") + "[0].uri=http://127.0.0.1:" + GONE_PORT,
				"--spring.cloud.gateway.server.webflux.routes[1].id=gone",
				"--spring.cloud.gateway.server.webflux.routes[1].uri=lb://gone",
				"--spring.cloud.gateway.server.webflux.routes[1].predicates[0]=Path=/gone/**",
				"--spring.cloud.gateway.server.webflux.routes[1].order=-1",
				"--portao.upstream.health-check.enabled=true", "--portao.upstream.health-check.interval=1s",
				"--spring.ssl.bundle.pem.probe.keystore.certificate=file:" + pem.certificateFile(),
				"--spring.ssl.bundle.pem.probe.keystore.private-key=file:" + pem.privateKeyFile()), PORT);
		// The chart's rules as they are, but firing after 1 s instead of minutes: this test cannot wait that long.
		Path rules = Files.writeString(dir.resolve("rules.yml"),
				Files.readString(RULES).replaceAll("(?m)^(\\s+)for: \\S+$", "$1for: 1s"));
		prometheus = PrometheusProcess.start(Files.createDirectories(dir.resolve("prometheus")), "portao",
				MANAGEMENT_PORT, "/actuator/prometheus", rules);
		load = KeepAliveLoad.start(PORT, 2, "/load/", Duration.ofMillis(20), 100_000, Duration.ofMinutes(3));
		GatewayClient client = new GatewayClient(PORT);
		for (int i = 0; i < 20; i++) {
			client.get("/static/missing-" + i + ".css");
		}
	}

	@AfterAll
	static void stop() throws Exception {
		if (load != null) {
			load.stop();
		}
		if (prometheus != null) {
			prometheus.close();
		}
		if (gateway != null) {
			gateway.close();
		}
		up.close();
	}

	@Test
	void everyPanelQueryReturnsDataAndTheStatePanelShowsTheDownServer() throws Exception {
		JsonNode dashboard = new ObjectMapper().readTree(Files.readString(Path.of("dashboards/portao.json")));
		List<String> panels = new ArrayList<>();
		for (JsonNode panel : dashboard.path("panels")) {
			for (JsonNode target : panel.path("targets")) {
				panels.add(panel.path("title").asString() + " | " + target.path("expr").asString());
			}
		}
		List<String> variables = new ArrayList<>();
		for (JsonNode variable : dashboard.path("templating").path("list")) {
			if (variable.has("definition")) {
				variables.add(variable.path("name").asString() + " | " + variable.path("definition").asString());
			}
		}
		assertThat(panels).hasSizeGreaterThanOrEqualTo(14);
		assertThat(variables).extracting(v -> v.substring(0, v.indexOf(' '))).contains("job", "namespace", "pod",
				"upstream");

		// Two rate windows of scrapes with the load on, so that every rate has at least two points.
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		List<String> empty = emptyOf(panels);
		while (!empty.isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(2000);
			empty = emptyOf(panels);
		}
		assertThat(empty).as("panel queries without data; prometheus log:\n" + prometheus.log()).isEmpty();
		for (String variable : variables) {
			String name = variable.substring(0, variable.indexOf(' '));
			if (!name.equals("namespace") && !name.equals("pod")) {
				// label_values(metric{…}, label): the series must exist and carry the label (namespace and pod exist
				// under Kubernetes only, where the scrape config adds them).
				String definition = variable.substring(variable.indexOf("| ") + 2);
				String metric = substituted(definition.substring("label_values(".length(), definition.lastIndexOf(',')));
				String label = definition.substring(definition.lastIndexOf(',') + 1, definition.length() - 1).trim();
				assertThat(prometheus.query("count by (" + label + ") (" + metric + ")")).as(variable).isNotEmpty();
			}
		}

		String state = panels.stream().filter(panel -> panel.startsWith("Server state |")).findFirst().orElseThrow();
		JsonNode servers = prometheus.query(substituted(state.substring(state.indexOf("| ") + 2)));
		assertThat(servers).hasSize(3);
		for (JsonNode server : servers) {
			String value = server.path("value").get(1).asString();
			String authority = server.path("metric").path("server").asString();
			boolean down = authority.endsWith(":" + DOWN_PORT) || authority.endsWith(":" + GONE_PORT);
			assertThat(value).as(authority).isEqualTo(down ? "2" : "0");
		}
		for (JsonNode instance : new ObjectMapper().readTree(new GatewayClient(MANAGEMENT_PORT)
			.get("/actuator/upstreams/bapis").body()).get("instances")) {
			JsonNode check = instance.get("lastHealthCheck");
			boolean down = instance.get("uri").asString().endsWith(":" + DOWN_PORT);
			assertThat(check.get("passed").asBoolean()).as(instance.toString()).isEqualTo(!down);
			assertThat(check.get("cause").isNull()).as(instance.toString()).isEqualTo(!down);
		}
	}

	@Test
	void theRulesPassPromtoolAndTheServerOutAndAllDownAlertsFire() throws Exception {
		Process promtool = new ProcessBuilder("promtool", "check", "rules", RULES.toString()).redirectErrorStream(true)
			.start();
		String checked = new String(promtool.getInputStream().readAllBytes());
		assertThat(promtool.waitFor()).as(checked).isZero();
		assertThat(checked).contains("SUCCESS: 5 rules found");

		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		List<String> firing = firing();
		while (!(firing.contains("PortaoServerOut bapis 127.0.0.1:" + DOWN_PORT)
				&& firing.contains("PortaoUpstreamAllDown gone")) && System.nanoTime() < deadline) {
			Thread.sleep(1000);
			firing = firing();
		}
		assertThat(firing).as("firing alerts; prometheus log:\n" + prometheus.log())
			.contains("PortaoServerOut bapis 127.0.0.1:" + DOWN_PORT, "PortaoServerOut gone 127.0.0.1:" + GONE_PORT,
					"PortaoUpstreamAllDown gone")
			.doesNotContain("PortaoUpstreamAllDown bapis", "PortaoServerOut bapis " + up.uri().substring(7))
			.noneMatch(alert -> alert.startsWith("PortaoEdge5xxRate") || alert.startsWith("PortaoCertificateExpiringSoon"));
	}

	/** The firing alerts, each as "name upstream [server]". */
	private static List<String> firing() throws Exception {
		List<String> firing = new ArrayList<>();
		for (JsonNode alert : prometheus.alerts()) {
			if ("firing".equals(alert.path("state").asString())) {
				JsonNode labels = alert.path("labels");
				String server = labels.path("server").asString("");
				firing.add((labels.path("alertname").asString() + " " + labels.path("upstream").asString("") + " " + server)
					.trim());
			}
		}
		return firing;
	}

	private static List<String> emptyOf(List<String> panels) throws Exception {
		List<String> empty = new ArrayList<>();
		for (String panel : panels) {
			if (prometheus.query(substituted(panel.substring(panel.indexOf("| ") + 2))).isEmpty()) {
				empty.add(panel);
			}
		}
		return empty;
	}

	private static String substituted(String query) {
		String result = query;
		for (Map.Entry<String, String> variable : VARIABLES.entrySet()) {
			result = result.replace(variable.getKey(), variable.getValue());
		}
		return result;
	}

}
