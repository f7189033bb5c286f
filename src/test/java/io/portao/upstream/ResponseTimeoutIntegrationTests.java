package io.portao.upstream;

import java.net.http.HttpResponse;
import java.time.Duration;

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
 * nginx {@code proxy_read_timeout} with nginx's default {@code proxy_next_upstream error timeout}: an instance that
 * does not answer in time costs one response timeout, then the next instance is tried; when none answers in time
 * the client gets 504 naming the upstream.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0",
				"spring.cloud.gateway.server.webflux.httpclient.response-timeout=500ms" })
class ResponseTimeoutIntegrationTests {

	static final FakeBackend slow = FakeBackend.start("slow").delay(Duration.ofSeconds(3));

	static final FakeBackend alsoSlow = FakeBackend.start("also-slow").delay(Duration.ofSeconds(3));

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, slow, alsoSlow);
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() {
		slow.close();
		alsoSlow.close();
	}

	@Test
	void everySlowInstanceIsTriedOnceThen504() {
		long start = System.nanoTime();
		HttpResponse<String> response = new GatewayClient(this.port).get("/slow");
		long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
		assertThat(response.statusCode()).isEqualTo(504);
		assertThat(response.body()).contains("bapis").contains("no response in time");
		assertThat(elapsedMillis).as("two response timeouts of 500 ms, on a busy machine").isBetween(900L, 8000L);
		// On a busy machine a request written just before its timeout may reach the backend after it.
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> slow.requestCount() == 1 && alsoSlow.requestCount() == 1);
	}

}
