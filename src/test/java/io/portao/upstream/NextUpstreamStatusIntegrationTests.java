package io.portao.upstream;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.FakeBackend.Echo;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code next-upstream: error, timeout, http_503}: an instance's 503 is dropped before anything reaches the client
 * (its headers and body included) and the next instance answers; a POST gets the 503 itself; idle-timeout cuts a
 * response body that stalls.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0",
				"portao.upstreams.bapis.next-upstream=error,timeout,http_503",
				"portao.upstreams.bapis.max-fails=0", "portao.upstreams.bapis.idle-timeout=500ms" })
class NextUpstreamStatusIntegrationTests {

	static final FakeBackend unavailable = FakeBackend.start("unavailable").status(503);

	static final FakeBackend ok = FakeBackend.start("ok");

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, unavailable, ok);
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() {
		unavailable.close();
		ok.close();
	}

	@Test
	void a503IsReplacedByTheNextInstancesAnswerForGetsOnly() {
		unavailable.clear();
		ok.clear();
		GatewayClient client = new GatewayClient(this.port);
		for (int i = 0; i < 6; i++) {
			HttpResponse<String> response = client.get("/g" + i);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().allValues("X-Backend")).containsExactly("ok");
			assertThat(Echo.parse(response.body()).backend()).isEqualTo("ok");
		}
		assertThat(unavailable.requestCount()).as("round robin sent half of them there first").isEqualTo(3);
		int passedOn = 0;
		for (int i = 0; i < 4; i++) {
			HttpResponse<String> post = client.post("/p" + i, "once");
			passedOn += (post.statusCode() == 503) ? 1 : 0;
		}
		assertThat(passedOn).as("POSTs that reached the 503 instance are not re-sent").isEqualTo(2);
		assertThat(ok.received()).filteredOn(echo -> echo.method().equals("POST")).hasSize(2);
	}

	@Test
	void aBodyThatStallsLongerThanIdleTimeoutIsCut() {
		BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> stall = (request, response) -> response
			.status(200)
			.header("Content-Length", "10000")
			.sendString(Mono.just("x".repeat(100)))
			.then()
			.then(Mono.never());
		ok.handler(stall);
		unavailable.handler(stall);
		try {
			GatewayClient client = new GatewayClient(this.port);
			long start = System.nanoTime();
			assertThat(List.of(1, 2)).allSatisfy(i -> org.assertj.core.api.Assertions
				.assertThatThrownBy(() -> client.get("/stall" + i))
				.hasMessageContaining("failed"));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
		}
		finally {
			ok.handler(null);
			unavailable.handler(null);
		}
	}

}
