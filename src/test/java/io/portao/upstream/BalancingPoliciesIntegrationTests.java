package io.portao.upstream;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.FakeBackend;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each policy over the same two instances, one answering 100 ms later than the other, under 16 concurrent
 * clients: one upstream per policy ({@code portao.upstreams.<policy>.policy}), each behind its own route, so
 * that one gateway compares them all. Round robin ignores speed and splits exactly in half; the load-aware
 * policies send the slow instance well under half.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0" })
class BalancingPoliciesIntegrationTests {

	static final List<String> POLICIES = List.of("round-robin", "least-connections", "random-two-choices",
			"least-time");

	static final int REQUESTS = 400;

	static final int CONCURRENCY = 16;

	static final FakeBackend fast = FakeBackend.start("fast");

	static final FakeBackend slow = FakeBackend.start("slow").delay(Duration.ofMillis(100));

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		for (int i = 0; i < POLICIES.size(); i++) {
			String policy = POLICIES.get(i);
			String instances = "spring.cloud.discovery.client.simple.instances." + policy;
			registry.add(instances + "[0].uri", fast::uri);
			registry.add(instances + "[1].uri", slow::uri);
			String route = "spring.cloud.gateway.server.webflux.routes[" + i + "]";
			registry.add(route + ".id", () -> policy);
			registry.add(route + ".uri", () -> "lb://" + policy);
			registry.add(route + ".predicates[0]", () -> "Path=/" + policy + "/**");
			registry.add("portao.upstreams." + policy + ".policy", () -> policy);
		}
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() {
		fast.close();
		slow.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "round-robin", "least-connections", "random-two-choices", "least-time" })
	void slowInstanceShare(String policy) throws Exception {
		load(policy);
		long toSlow = count(slow, policy);
		long toFast = count(fast, policy);
		double share = (double) toSlow / REQUESTS;
		System.out.printf("policy %s: slow instance got %d of %d (%.1f %%), fast %d%n", policy, toSlow, REQUESTS,
				share * 100, toFast);
		assertThat(toSlow + toFast).isEqualTo(REQUESTS);
		if (policy.equals("round-robin")) {
			assertThat(toSlow).isEqualTo(REQUESTS / 2);
		}
		else {
			assertThat(share).isLessThan(0.4);
		}
	}

	private void load(String policy) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
		try {
			GatewayClient client = new GatewayClient(this.port);
			List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, REQUESTS)
				.mapToObj(i -> CompletableFuture.supplyAsync(() -> client.get("/" + policy + "/" + i), pool))
				.toList();
			for (CompletableFuture<HttpResponse<String>> response : responses) {
				assertThat(response.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static long count(FakeBackend backend, String policy) {
		return backend.received().stream().filter(echo -> echo.uri().startsWith("/" + policy + "/")).count();
	}

}
