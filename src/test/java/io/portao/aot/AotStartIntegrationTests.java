package io.portao.aot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.portao.support.FakeBackend;
import io.portao.support.GatewayClient;
import io.portao.support.PortaoJar;
import io.portao.support.TestCertificates;
import io.portao.tls.PemBundle;
import io.portao.tls.TlsTestClients;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar started as the image starts it, with Spring AOT's build-time bean definitions
 * ({@code -Dspring.aot.enabled=true}): on the build's configuration it uses them and serves as without AOT; on a
 * configuration whose conditions decide otherwise ({@code portao.access-log.enabled: false}) it starts without them
 * and that configuration takes effect; TLS alone decides none otherwise.
 */
class AotStartIntegrationTests {

	private static final List<String> AOT = List.of("-Dspring.aot.enabled=true");

	static final FakeBackend a = FakeBackend.start("aot-a");

	static final FakeBackend b = FakeBackend.start("aot-b");

	@AfterAll
	static void stopBackends() {
		a.close();
		b.close();
	}

	@Test
	void theBuildsConfigurationStartsOnTheBuildsBeanDefinitionsAndServes(@TempDir Path dir) throws Exception {
		Path accessLog = dir.resolve("access.log");
		try (PortaoJar gateway = PortaoJar.startContract(dir, List.of(a.uri(), b.uri()), AOT,
				List.of("--portao.access-log.path=" + accessLog))) {
			String log = gateway.log();
			assertThat(log).contains("Spring AOT: the build's bean definitions are used")
				.contains("Starting AOT-processed PortaoApplication")
				.doesNotContain("Spring AOT turned off");
			assertThat(servers(gateway, 4)).containsExactly("aot-a", "aot-b", "aot-a", "aot-b");
			GatewayClient management = new GatewayClient(gateway.managementPort());
			String upstreams = management.get("/actuator/upstreams").body();
			assertThat(upstreams).contains(a.authority()).contains(b.authority());
			assertThat(management.get("/actuator/prometheus").body())
				.containsPattern("portao_upstream_state\\{[^}]*" + a.authority() + "[^}]*state=\"UP\"[^}]*} 1")
				.containsPattern("portao_upstream_requests_seconds_bucket\\{[^}]*" + b.authority());
			assertThat(awaitLines(accessLog, 4)).hasSize(4);
		}
	}

	@Test
	void aConfigurationTheBuildDidNotSeeStartsWithoutAotAndTakesEffect(@TempDir Path dir) throws Exception {
		Path accessLog = dir.resolve("access.log");
		try (PortaoJar gateway = PortaoJar.startContract(dir, List.of(a.uri(), b.uri()), AOT,
				List.of("--portao.access-log.path=" + accessLog, "--portao.access-log.enabled=false"))) {
			String log = gateway.log();
			assertThat(log).contains("Spring AOT turned off for this start")
				.contains("OnPropertyCondition on io.portao.accesslog.AccessLogConfiguration: true at build time, false now")
				.doesNotContain("AOT-processed");
			assertThat(servers(gateway, 2)).containsExactlyInAnyOrder("aot-a", "aot-b");
			// The build's definitions hold the access log: had they been used, lines would come within its 1 s flush.
			Thread.sleep(2_500);
			assertThat(accessLog).doesNotExist();
		}
	}

	/**
	 * TLS from PEM files, as the reference's {@code bapi-ssl.conf} (no redirect port): no condition decides otherwise
	 * than at build time, so the start keeps the build's bean definitions; the gateway answers over TLS and the
	 * {@code tls} health component, registered at start-up rather than under a condition, shows the certificate.
	 */
	@Test
	void aTlsConfigurationKeepsTheBuildsBeanDefinitions(@TempDir Path dir) throws Exception {
		TestCertificates.Pem pem = TestCertificates.generate(dir, "cert", "localhost");
		try (PortaoJar gateway = PortaoJar.startContract(dir, List.of(a.uri(), b.uri()), AOT,
				PemBundle.properties(pem).stream().map(property -> "--" + property).toList())) {
			assertThat(gateway.log()).contains("Starting AOT-processed PortaoApplication")
				.doesNotContain("Spring AOT turned off");
			HttpClient tls = HttpClient.newBuilder()
				.sslContext(TlsTestClients.trusting(pem.certificate()))
				.connectTimeout(Duration.ofSeconds(10))
				.build();
			List<String> servers = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				HttpResponse<String> response = tls.send(HttpRequest
					.newBuilder(URI.create("https://127.0.0.1:" + gateway.port() + "/tls/" + i))
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(response.statusCode()).isEqualTo(200);
				servers.add(response.headers().firstValue("Server").orElseThrow());
			}
			assertThat(servers).containsExactly("aot-a", "aot-b");
			HttpResponse<String> health = new GatewayClient(gateway.managementPort()).get("/actuator/health/tls");
			assertThat(health.statusCode()).isEqualTo(200);
			assertThat(health.body()).contains("\"status\":\"UP\"").contains("CN=localhost");
		}
	}

	/**
	 * The image's training start ({@code -Dportao.aot.training=true}) also parses the configuration as a start
	 * without AOT does, in a throwaway context, so that the AOT cache it records serves both kinds of start; and it
	 * still serves on the build's bean definitions.
	 */
	@Test
	void theImagesTrainingStartAlsoParsesTheConfigurationAsWithoutAot(@TempDir Path dir) throws Exception {
		List<String> training = List.of("-Dspring.aot.enabled=true", "-Dportao.aot.training=true");
		try (PortaoJar gateway = PortaoJar.startContract(dir, List.of(a.uri(), b.uri()), training, List.of())) {
			assertThat(gateway.log()).contains("Starting AOT-processed PortaoApplication")
				.containsPattern("Spring AOT training: the configuration also parsed as without AOT, \\d{3,} bean "
						+ "definitions");
			assertThat(servers(gateway, 2)).containsExactly("aot-a", "aot-b");
		}
	}

	private static List<String> servers(PortaoJar gateway, int requests) {
		GatewayClient client = new GatewayClient(gateway.port());
		List<String> servers = new ArrayList<>();
		for (int i = 0; i < requests; i++) {
			servers.add(client.get("/").headers().firstValue("Server").orElseThrow());
		}
		return servers;
	}

	private static List<String> awaitLines(Path file, int count) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		List<String> lines = List.of();
		while (System.nanoTime() < deadline) {
			lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
			if (lines.size() >= count) {
				return lines;
			}
			Thread.sleep(100);
		}
		return lines;
	}

}
