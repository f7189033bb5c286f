package io.portao.limits;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code portao.limits.max-connections-per-instance: 2} (nginx {@code max_conns=2}): with two slow requests in
 * flight to the only instance, a third gets {@code 503} at once, naming the instance; once they finish, requests
 * pass again.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0", "portao.limits.max-connections-per-instance=2" })
class InstanceConnectionLimitIntegrationTests {

	static final FakeBackend backend = FakeBackend.start("backend-a");

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, backend);
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() {
		backend.close();
	}

	@Test
	void requestBeyondTheLimitGets503AtOnce() throws Exception {
		GatewayClient client = new GatewayClient(this.port);
		backend.delay(Duration.ofSeconds(3));
		List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			slow.add(client.client().sendAsync(client.request("/slow/" + i).build(), HttpResponse.BodyHandlers.ofString()));
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (backend.requestCount() < 2 && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		HttpResponse<String> refused = client.get("/third");
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.body()).contains("127.0.0.1:" + backend.port()).contains("max-connections-per-instance");
		for (CompletableFuture<HttpResponse<String>> response : slow) {
			assertThat(response.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		}
		backend.delay(Duration.ZERO);
		assertThat(client.get("/after").statusCode()).isEqualTo(200);
		assertThat(backend.requestCount()).isEqualTo(3);
	}

}
