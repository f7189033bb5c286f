package io.portao.reload;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nginx -s reload} without nginx: the packaged jar runs on a configuration file that the test edits while
 * four keep-alive clients send requests. An instance added starts taking requests, one removed stops, a route added
 * answers, a static location added serves, all without a failed request; a broken edit is refused with {@code check}'s line and the old
 * configuration serves on; {@code SIGHUP} and {@code POST /actuator/reload} reload too; instances that stay keep
 * their counters, and a drained one stays drained.
 */
class ReloadIntegrationTests {

	static final ObjectMapper json = new ObjectMapper();

	@TempDir
	static Path dir;

	static final FakeBackend a = FakeBackend.start("a");

	static final FakeBackend b = FakeBackend.start("b");

	static final FakeBackend c = FakeBackend.start("c");

	static final FakeBackend other = FakeBackend.start("other");

	static final int PORT = FreePorts.next();

	static final int MANAGEMENT_PORT = FreePorts.next();

	static Path config;

	static PortaoJar gateway;

	final GatewayClient management = new GatewayClient(MANAGEMENT_PORT);

	@BeforeAll
	static void start() throws Exception {
		Files.createDirectories(dir.resolve("static"));
		Files.writeString(dir.resolve("static/app.js"), "let x = 1;\n");
		Files.createDirectories(dir.resolve("public"));
		Files.writeString(dir.resolve("public/app.css"), "body { color: red; }\n");
		config = dir.resolve("portao.yml");
		Files.writeString(config, yaml(List.of(a, b), false, ""));
		gateway = PortaoJar.start(dir, List.of("--spring.config.additional-location=file:" + config), PORT);
	}

	@AfterAll
	static void stop() throws Exception {
		if (gateway != null) {
			gateway.close();
		}
		for (FakeBackend backend : List.of(a, b, c, other)) {
			backend.close();
		}
	}

	/** The whole configuration file: instances of {@code bapis}, and the {@code /other/**} route or not. */
	static String yaml(List<FakeBackend> instances, boolean otherRoute, String bMetadata) {
		return yaml(instances, otherRoute, bMetadata, false);
	}

	/**
	 * As above, with or without the second step's changes: the static location {@code /assets/} beside
	 * {@code /static/}, and {@code bapis} balanced by least connections.
	 */
	static String yaml(List<FakeBackend> instances, boolean otherRoute, String bMetadata, boolean assets) {
		StringBuilder yaml = new StringBuilder();
		yaml.append("server:\n  port: ").append(PORT).append('\n');
		yaml.append("management:\n  server:\n    port: ").append(MANAGEMENT_PORT).append('\n');
		yaml.append("portao:\n  reload:\n    poll-interval: 200ms\n    quiet-period: 300ms\n");
		if (assets) {
			yaml.append("  static-files:\n    locations:\n");
			yaml.append("      - path: /static/\n        directory: file:").append(dir).append("/static/\n");
			yaml.append("      - path: /assets/\n        directory: file:").append(dir).append("/public/\n");
			yaml.append("        caching: max-age\n        max-age: 1h\n");
			yaml.append("  upstreams:\n    bapis:\n      policy: least-connections\n");
		}
		yaml.append("spring:\n  web:\n    resources:\n      static-locations: file:").append(dir).append("/static/\n");
		yaml.append("  cloud:\n    discovery:\n      client:\n        simple:\n          instances:\n");
		yaml.append("            bapis:\n");
		for (FakeBackend instance : instances) {
			yaml.append("              - uri: ").append(instance.uri()).append('\n');
			if (instance == b && !bMetadata.isEmpty()) {
				yaml.append("                metadata: { ").append(bMetadata).append(" }\n");
			}
		}
		yaml.append("            others:\n              - uri: ").append(other.uri()).append('\n');
		yaml.append("    gateway:\n      server:\n        webflux:\n          routes:\n");
		if (otherRoute) {
			yaml.append("            - id: other\n              uri: lb://others\n              predicates:\n")
				.append("                - Path=/other/**\n");
		}
		yaml.append("            - id: bapis\n              uri: lb://bapis\n              predicates:\n")
			.append("                - Path=/**\n");
		return yaml.toString();
	}

	@Test
	void editsApplyUnderLoadWithoutAFailedRequestAndABrokenEditIsRefused() throws Exception {
		KeepAliveLoad load = KeepAliveLoad.start(PORT, 4, "/load/", Duration.ofMillis(5), 200_000, Duration.ofMinutes(5));
		KeepAliveLoad.Result result;
		try {
			awaitTrue("traffic on a and b", () -> load.receivedBy(a) > 10 && load.receivedBy(b) > 10,
					Duration.ofSeconds(20));
			long bRequestsBefore = requests(b);

			// Each step waits for the reload's own outcome (GET /actuator/reload), not for one of its effects: the
			// instance list seen by the endpoint can change before the balancer's cached list is dropped.
			assertThat(reloadAfter(yaml(List.of(a, b, c), false, "")).path("result").asString()).isEqualTo("applied");
			awaitTrue("the added instance c takes requests", () -> load.receivedBy(c) > 10, Duration.ofSeconds(30));
			assertThat(requests(b)).as("b kept its counters").isGreaterThan(bRequestsBefore);

			assertThat(reloadAfter(yaml(List.of(b, c), false, "")).path("result").asString()).isEqualTo("applied");
			awaitTrue("a gone from the endpoint",
					() -> !this.management.get("/actuator/upstreams/bapis").body().contains(a.uri()), Duration.ofSeconds(10));
			// A request the balancer sent to a just before the reload may still be on its way.
			Thread.sleep(300);
			int aAfterRemoval = load.receivedBy(a);
			Thread.sleep(1500);
			assertThat(load.receivedBy(a)).as("no request to the removed instance; log:\n" + tail(gateway.log()))
				.isEqualTo(aAfterRemoval);

			assertThat(reloadAfter(yaml(List.of(b, c), true, "")).path("result").asString()).isEqualTo("applied");
			GatewayClient probe = new GatewayClient(PORT);
			awaitTrue("the added route answers", () -> "other".equals(probe.get("/other/x").headers()
				.firstValue("X-Backend").orElse(null)), Duration.ofSeconds(10));

			assertThat(probe.get("/assets/app.css").headers().firstValue("X-Backend")).as("proxied: no static location yet")
				.isPresent();
			JsonNode assets = reloadAfter(yaml(List.of(b, c), true, "", true));
			assertThat(assets.path("result").asString()).isEqualTo("applied");
			assertThat(assets.path("needRestart")).as("nothing waits for a restart").isEmpty();
			assertThat(this.management.get("/actuator/upstreams/bapis").body()).as("the upstream's new policy")
				.contains("\"policy\":\"least-connections\"");
			HttpResponse<String> asset = probe.get("/assets/app.css");
			assertThat(asset.statusCode()).as("the added static location serves").isEqualTo(200);
			assertThat(asset.body()).isEqualTo("body { color: red; }\n");
			assertThat(asset.headers().firstValue("Cache-Control")).hasValue("max-age=3600");
			assertThat(probe.get("/static/app.js").body()).isEqualTo("let x = 1;\n");

			JsonNode refused = reloadAfter(yaml(List.of(b, c), true, "weight: \"0\"", true));
			assertThat(refused.path("result").asString()).isEqualTo("refused");
			assertThat(refused.path("problems").toString()).contains("weight: '0' (expected: a whole number from 1 to 1000)");
			assertThat(gateway.log()).contains("reload (file) refused, the running configuration stays:");
			int cBefore = load.receivedBy(c);
			Thread.sleep(1000);
			assertThat(load.receivedBy(c)).as("the old configuration serves on").isGreaterThan(cBefore);
			assertThat(probe.get("/other/y").headers().firstValue("X-Backend")).hasValue("other");
			assertThat(probe.get("/assets/app.css").statusCode()).isEqualTo(200);
		}
		finally {
			result = load.stop();
		}
		assertThat(result.failures()).as("failed requests across the reloads").isEmpty();
		assertThat(result.answered()).isGreaterThan(100);

		assertThat(reloadAfter(yaml(List.of(b, c), true, "", true)).path("result").asString()).as("the same as what runs")
			.isEqualTo("unchanged");
		// Sent again every 20 s until seen: one HUP was once not seen in a loaded CI run (see the issue note).
		for (int i = 0; i < 4 && !"SIGHUP".equals(last().path("trigger").asString()); i++) {
			new ProcessBuilder("kill", "-HUP", String.valueOf(gateway.pid())).start().waitFor(10, TimeUnit.SECONDS);
			long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			while (!"SIGHUP".equals(last().path("trigger").asString()) && System.nanoTime() < deadline) {
				Thread.sleep(200);
			}
		}
		awaitTrue("SIGHUP reloads", () -> "SIGHUP".equals(last().path("trigger").asString()), Duration.ofSeconds(20));
		assertThat(last().path("result").asString()).isEqualTo("unchanged");
		HttpResponse<String> byEndpoint = this.management.send(this.management.request("/actuator/reload")
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
		assertThat(byEndpoint.statusCode()).isEqualTo(200);
		assertThat(json.readTree(byEndpoint.body()).path("trigger").asString()).isEqualTo("endpoint");
		HttpResponse<String> drained = this.management.send(this.management
			.request("/actuator/upstreams/bapis/" + b.uri().substring("http://".length()))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"state\":\"drain\"}"))
			.build());
		assertThat(drained.statusCode()).isEqualTo(200);
		edit(yaml(List.of(a, b, c), true, "", true));
		awaitTrue("a back", () -> this.management.get("/actuator/upstreams/bapis").body().contains(a.uri()),
				Duration.ofSeconds(60));
		assertThat(this.management.get("/actuator/upstreams/bapis").body()).as("b stays drained across a reload")
			.contains("{\"uri\":\"" + b.uri() + "\",\"state\":\"DRAINED\"");
		assertThat(this.management.get("/actuator/prometheus").body())
			.containsPattern("portao_reload_total\\{[^}]*result=\"refused\"[^}]*} 1.0")
			.containsPattern("portao_reload_total\\{[^}]*result=\"applied\"[^}]*} 5.0");
	}

	private static void edit(String content) throws Exception {
		Path temp = dir.resolve("portao.yml.tmp");
		Files.writeString(temp, content);
		Files.move(temp, config, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
				java.nio.file.StandardCopyOption.ATOMIC_MOVE);
	}

	/** Writes {@code content} as the configuration file and waits for the reload it causes; its outcome. */
	private JsonNode reloadAfter(String content) throws Exception {
		String before = last().path("at").asString();
		edit(content);
		awaitTrue("a reload after the edit", () -> !last().path("at").asString().equals(before), Duration.ofSeconds(90));
		return last();
	}

	private long requests(FakeBackend backend) {
		for (JsonNode instance : json.readTree(this.management.get("/actuator/upstreams/bapis").body()).get("instances")) {
			if (instance.get("uri").asString().equals(backend.uri())) {
				return instance.get("requests").asLong();
			}
		}
		return -1;
	}

	private JsonNode last() {
		HttpResponse<String> last = this.management.get("/actuator/reload");
		return (last.statusCode() == 200) ? json.readTree(last.body()) : json.createObjectNode();
	}

	private static void awaitTrue(String what, java.util.function.BooleanSupplier condition, Duration timeout)
			throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError(what + ": not within " + timeout + "; log:\n" + tail(gateway.log()));
			}
			Thread.sleep(100);
		}
	}

	/** The gateway's own log lines (not the access log's), the last 8000 characters of them. */
	private static String tail(String log) {
		String own = log.lines()
			.filter(line -> !line.matches("^\\S+ - \\S+ \\[.*"))
			.collect(java.util.stream.Collectors.joining("\n"));
		return own.substring(Math.max(0, own.length() - 8000));
	}

}
