package io.portao.metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.FreePorts;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What {@code /actuator/prometheus} shows: bounded series whatever the paths requested (10,000 random ones), the
 * gateway's route metric and the connection pools per instance, and every metric the Grafana dashboard queries.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "server.port=0")
class PrometheusScrapeIntegrationTests {

	static final int MANAGEMENT_PORT = FreePorts.next();

	static final FakeBackend a = FakeBackend.start("backend-a");

	static final FakeBackend b = FakeBackend.start("backend-b");

	/** Meters of the JVM and the process: they gain series on their own (a new GC cause), not from requests. */
	static final List<String> NOT_REQUEST_DRIVEN = List.of("jvm_", "process_", "system_", "disk_", "executor_",
			"logback_", "application_");

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, a, b);
		registry.add("management.server.port", () -> MANAGEMENT_PORT);
	}

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	GatewayClient management = new GatewayClient(MANAGEMENT_PORT);

	@AfterAll
	static void stopBackends() {
		a.close();
		b.close();
	}

	@Test
	void tenThousandRandomPathsLeaveTheNumberOfSeriesUnchanged() throws Exception {
		send(500);
		// The first scrape adds the series of the scrape's own http.server.requests (uri="/actuator/prometheus").
		scrape();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.meters.find("http.server.requests").tag("uri", "/actuator/prometheus").timer() != null);
		Set<String> warm = requestSeries(scrape());
		Set<String> warmMeters = requestMeters();
		send(10_000);
		String after = scrape();
		Set<String> series = requestSeries(after);
		assertThat(series).hasSameSizeAs(warm).isEqualTo(warm);
		assertThat(requestMeters()).isEqualTo(warmMeters);
		assertThat(after).doesNotContain("/rnd-");
		assertThat(warm.size()).isLessThan(2000);
	}

	@Test
	void showsTheRouteMetricThePoolPerInstanceAndThePerInstanceMeters() throws Exception {
		send(20);
		String scrape = scrape();
		assertThat(scrape).contains("spring_cloud_gateway_requests_seconds_count{");
		Set<String> pools = labelValues(scrape, "reactor_netty_connection_provider_total_connections", "remote_address");
		assertThat(pools).containsExactlyInAnyOrder("127.0.0.1:" + a.port(), "127.0.0.1:" + b.port());
		for (FakeBackend backend : List.of(a, b)) {
			String instance = "server=\"127.0.0.1:" + backend.port() + "\"";
			assertThat(scrape).containsPattern("portao_upstream_requests_seconds_bucket\\{[^}]*" + instance);
			assertThat(scrape).containsPattern("portao_upstream_failures_total\\{[^}]*cause=\"connect\"[^}]*" + instance);
			assertThat(scrape).containsPattern("portao_upstream_inflight\\{[^}]*" + instance);
			assertThat(scrape).containsPattern("portao_upstream_state\\{[^}]*" + instance + "[^}]*state=\"UP\"[^}]*} 1");
		}
	}

	@Test
	void theGrafanaDashboardIsValidAndQueriesOnlyMetricsTheScrapeHas() throws Exception {
		send(20);
		Set<String> scraped = metricNames(scrape());
		JsonNode dashboard = new ObjectMapper().readTree(Files.readString(Path.of("dashboards/portao.json")));
		assertThat(dashboard.get("title").asString()).isNotBlank();
		assertThat(dashboard.get("templating").get("list")).anySatisfy(
				variable -> assertThat(variable.get("type").asString()).isEqualTo("datasource"));
		List<String> queries = new ArrayList<>();
		collectQueries(dashboard, queries);
		assertThat(dashboard.get("panels").size()).isGreaterThanOrEqualTo(6);
		Set<String> queried = new TreeSet<>();
		Matcher metric = Pattern.compile("\\b(portao_|spring_cloud_gateway_|reactor_netty_)[a-zA-Z0-9_]+").matcher("");
		for (String query : queries) {
			metric.reset(query);
			while (metric.find()) {
				queried.add(metric.group());
			}
		}
		assertThat(queried).contains("portao_upstream_requests_seconds_bucket", "portao_upstream_failures_total",
				"portao_upstream_inflight", "portao_upstream_state",
				"reactor_netty_connection_provider_active_connections");
		assertThat(scraped).containsAll(queried);
	}

	private static void collectQueries(JsonNode node, List<String> queries) {
		if (node.isObject()) {
			for (String field : List.of("expr", "definition")) {
				if (node.has(field) && node.get(field).isString()) {
					queries.add(node.get(field).asString());
				}
			}
		}
		node.forEach(child -> collectQueries(child, queries));
	}

	private void send(int n) throws Exception {
		GatewayClient client = new GatewayClient(this.port);
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<CompletableFuture<Integer>> sent = new ArrayList<>(n);
			for (int i = 0; i < n; i++) {
				String path = (i % 10 == 9) ? "/static/rnd-" + UUID.randomUUID() + ".css"
						: "/rnd-" + UUID.randomUUID() + "?q=" + i;
				sent.add(CompletableFuture.supplyAsync(() -> client.get(path).statusCode(), pool));
			}
			for (CompletableFuture<Integer> status : sent) {
				assertThat(status.get(60, TimeUnit.SECONDS)).isIn(200, 404);
			}
		}
		finally {
			pool.shutdownNow();
		}
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.meters.get(UpstreamMeterNames.IN_FLIGHT).gauges().stream().allMatch(g -> g.value() == 0));
	}

	private String scrape() {
		var response = this.management.get("/actuator/prometheus");
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	/** Series (name and labels) of everything that requests could grow. */
	/**
	 * The registry's meters that requests can create, by id (name and tags); the JVM's, the process's and
	 * logback's may appear on their own (a first GC of a new kind, a first WARN line) and are left out, as in the
	 * scrape.
	 */
	private Set<String> requestMeters() {
		Set<String> ids = new TreeSet<>();
		for (io.micrometer.core.instrument.Meter meter : this.meters.getMeters()) {
			String prometheusName = meter.getId().getName().replace('.', '_');
			if (NOT_REQUEST_DRIVEN.stream().noneMatch(prometheusName::startsWith)) {
				ids.add(meter.getId().toString());
			}
		}
		return ids;
	}

	private static Set<String> requestSeries(String scrape) {
		Set<String> series = new TreeSet<>();
		for (String line : scrape.split("\n")) {
			if (line.startsWith("#") || line.isBlank() || NOT_REQUEST_DRIVEN.stream().anyMatch(line::startsWith)) {
				continue;
			}
			series.add(line.substring(0, line.lastIndexOf(' ')));
		}
		return series;
	}

	private static Set<String> metricNames(String scrape) {
		Set<String> names = new TreeSet<>();
		for (String line : scrape.split("\n")) {
			if (!line.startsWith("#") && !line.isBlank()) {
				names.add(line.split("[{ ]", 2)[0]);
			}
		}
		return names;
	}

	private static Set<String> labelValues(String scrape, String metric, String label) {
		Set<String> values = new TreeSet<>();
		Matcher m = Pattern.compile("^" + metric + "\\{[^}]*" + label + "=\"([^\"]*)\"", Pattern.MULTILINE)
			.matcher(scrape);
		while (m.find()) {
			values.add(m.group(1));
		}
		return values;
	}


}
