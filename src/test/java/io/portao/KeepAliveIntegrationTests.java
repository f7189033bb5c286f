package io.portao;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.FreePorts;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that follow each other on one kept-alive connection are all answered, on the public port and on the
 * management port. Reactor Netty 1.3.6 could stop reading such a connection when a request arrived before the
 * previous one had fully terminated (reactor-netty#4347, #4361): actuator endpoints, which answer from another
 * thread, hung one batch in a few dozen. Fixed in 1.3.8; this pins it.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "server.port=0")
class KeepAliveIntegrationTests {

	static final int ROUNDS = 150;

	static final FakeBackend backend = FakeBackend.start("backend-a");

	static final int MANAGEMENT_PORT = FreePorts.next();

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, backend);
		registry.add("management.server.port", () -> MANAGEMENT_PORT);
		registry.add("spring.web.resources.static-locations", () -> "classpath:/demo-static/");
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() {
		backend.close();
	}

	@Test
	void managementEndpointsAnswerEveryRequestOnAKeptAliveConnection() {
		everyRequestAnswered(MANAGEMENT_PORT,
				List.of("/actuator/health", "/actuator/health", "/actuator/health/readiness", "/actuator/prometheus"));
	}

	@Test
	void proxiedAndStaticRequestsAnswerEveryRequestOnAKeptAliveConnection() {
		everyRequestAnswered(this.port, List.of("/a", "/static/hello.txt", "/b?x=1", "/static/app.css"));
	}

	/** Each round: a new client, so a new connection, reused for every path of the round. */
	private static void everyRequestAnswered(int port, List<String> paths) {
		for (int round = 0; round < ROUNDS; round++) {
			GatewayClient client = new GatewayClient(port);
			for (String path : paths) {
				HttpResponse<String> response = client
					.send(client.request(path).timeout(Duration.ofSeconds(5)).GET().build());
				assertThat(response.statusCode()).as("round %d, %s", round, path).isEqualTo(200);
			}
		}
	}

}
