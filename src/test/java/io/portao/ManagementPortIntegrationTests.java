package io.portao;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.FreePorts;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Actuator lives on its own port, on loopback, and exposes health, info, Prometheus and Portão's own endpoints only
 * (no discovery noise in health, the build and commit in info); the public port proxies
 * {@code /actuator/**} like any other path, so nothing of the gateway's own is reachable there.
 *
 * <p>The management port is fixed here, as in production: Spring Cloud Gateway recognises requests to the
 * management port by the configured number, so with port 0 it would proxy them too.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "server.port=0")
class ManagementPortIntegrationTests {

	static final FakeBackend backend = FakeBackend.start("backend-a");

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, backend);
		registry.add("management.server.port", () -> MANAGEMENT_PORT);
	}

	static final int MANAGEMENT_PORT = FreePorts.next();

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@AfterAll
	static void stop() {
		backend.close();
	}

	@Test
	void healthAndPrometheusAreOnTheManagementPort() {
		GatewayClient management = new GatewayClient(this.managementPort);
		HttpResponse<String> health = management.get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"");
		assertThat(management.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(management.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		HttpResponse<String> prometheus = management.get("/actuator/prometheus");
		assertThat(prometheus.statusCode()).isEqualTo(200);
		assertThat(prometheus.body()).contains("jvm_memory_used_bytes");
	}

	@Test
	void healthHasNoDiscoveryNoiseAndInfoNamesTheBuild() {
		GatewayClient management = new GatewayClient(this.managementPort);
		assertThat(management.get("/actuator/health").body()).as("Spring Cloud's discovery indicators, always UNKNOWN")
			.doesNotContain("discoveryComposite", "reactiveDiscoveryClients", "discoveryClient")
			.contains("\"upstreams\"");
		HttpResponse<String> info = management.get("/actuator/info");
		assertThat(info.statusCode()).isEqualTo(200);
		assertThat(info.body()).containsPattern("\"build\":\\{[^}]*\"version\":\"\\d+\\.\\d+\\.\\d+[^\"]*\"")
			.containsPattern("\"git\":\\{.*\"commit\":\\{.*\"id\":\"[0-9a-f]{7,}\"");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/actuator/gateway/routes", "/actuator/env", "/actuator/refresh", "/actuator/beans",
			"/actuator/configprops", "/actuator/heapdump" })
	void writableAndRevealingEndpointsAreNotExposed(String path) {
		GatewayClient management = new GatewayClient(this.managementPort);
		assertThat(management.get(path).statusCode()).isEqualTo(404);
		assertThat(management.send(management.request(path)
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
			.header("Content-Type", "application/json")
			.build()).statusCode()).isIn(404, 405);
	}

	@Test
	void publicPortProxiesActuatorPathsToTheInstances() {
		HttpResponse<String> response = new GatewayClient(this.port).get("/actuator/env");
		assertThat(response.headers().firstValue("Server")).hasValue("backend-a");
	}

	/**
	 * The kernel's table of listening sockets ({@code /proc/net/tcp}, {@code tcp6}) has the management port bound to
	 * 127.0.0.1 only: read there rather than by connecting to another address, since tests send traffic to
	 * 127.0.0.1 and ::1 only.
	 */
	@Test
	void managementPortListensOnLoopbackOnly() throws Exception {
		String port = String.format(":%04X", this.managementPort);
		List<String> listening = new ArrayList<>();
		for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			for (String line : Files.readAllLines(Path.of(table))) {
				String[] fields = line.trim().split("\\s+");
				if (fields.length > 3 && fields[1].endsWith(port) && "0A".equals(fields[3])) {
					listening.add(fields[1]);
				}
			}
		}
		// 127.0.0.1 in the IPv4 table, or as the IPv4-mapped ::ffff:127.0.0.1 on an IPv6 socket (Netty's epoll).
		assertThat(listening).as("listening sockets on the management port").hasSize(1)
			.allMatch(address -> address.equals("0100007F" + port)
					|| address.equals("0000000000000000FFFF00000100007F" + port));
	}

}
