package io.portao.proxy;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.FreePorts;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics of proxied requests after the hot-path trimming (docs/performance.md): the gateway's per-route timer
 * and the server's request timer are there; the duplicate client observation and the long-task timers are not.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "server.port=0")
class ProxyMetricsIntegrationTests {

	static final FakeBackend backend = FakeBackend.start("backend-a");

	static final int MANAGEMENT_PORT = FreePorts.next();

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, backend);
		registry.add("management.server.port", () -> MANAGEMENT_PORT);
	}

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@AfterAll
	static void stop() {
		backend.close();
	}

	@Test
	void proxiedRequestsAreTimedOncePerLayer() {
		GatewayClient gateway = new GatewayClient(this.port);
		for (int i = 0; i < 3; i++) {
			assertThat(gateway.get("/metrics-probe").statusCode()).isEqualTo(200);
		}
		HttpResponse<String> prometheus = new GatewayClient(this.managementPort).get("/actuator/prometheus");
		assertThat(prometheus.statusCode()).isEqualTo(200);
		assertThat(prometheus.body()).contains("spring_cloud_gateway_requests_seconds_count{")
			.contains("routeId=\"bapis\"")
			.contains("http_server_requests_seconds_count{")
			.doesNotContain("http_client_requests_seconds")
			.doesNotContain("http_server_requests_active");
	}

}
