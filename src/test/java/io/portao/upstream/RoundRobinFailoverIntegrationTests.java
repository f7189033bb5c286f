package io.portao.upstream;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.FakeBackend.Echo;
import io.portao.support.GatewayClient;
import io.portao.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nginx round robin, {@code proxy_next_upstream error} and {@code max_fails=1 fail_timeout=10s}, over real
 * sockets, with the configuration contract's route and nothing else.
 */
@SpringBootTest(classes = { PortaoApplication.class, RoundRobinFailoverIntegrationTests.Clocks.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0" })
class RoundRobinFailoverIntegrationTests {

	static final FakeBackend a = FakeBackend.start("backend-a");

	static final FakeBackend b = FakeBackend.start("backend-b");

	static final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, a, b);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Clocks {

		@Bean
		MutableClock clock() {
			return clock;
		}

	}

	@LocalServerPort
	int port;

	@Autowired
	UpstreamRegistry registry;

	GatewayClient client;

	@BeforeEach
	void setUp() {
		this.client = new GatewayClient(this.port);
		restore(a);
		restore(b);
		// Leave every ejection window of the previous test behind.
		clock.advance(Duration.ofMinutes(1));
	}

	@AfterEach
	void tearDown() {
		restore(a);
		restore(b);
	}

	@AfterAll
	static void stopBackends() {
		a.close();
		b.close();
	}

	private static void restore(FakeBackend backend) {
		if (!isListening(backend)) {
			backend.restart();
		}
		backend.mode(FakeBackend.Mode.ECHO).delay(Duration.ZERO);
		backend.clear();
	}

	private static boolean isListening(FakeBackend backend) {
		try (java.net.Socket socket = new java.net.Socket("127.0.0.1", backend.port())) {
			return true;
		}
		catch (java.io.IOException ex) {
			return false;
		}
	}

	@Test
	void alternatesStrictlyBetweenTwoInstances() {
		List<String> order = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			HttpResponse<String> response = this.client.get("/r" + i);
			assertThat(response.statusCode()).isEqualTo(200);
			order.add(response.headers().firstValue("Server").orElseThrow());
		}
		for (int i = 2; i < order.size(); i++) {
			assertThat(order.get(i)).as("request %d of %s", i, order).isEqualTo(order.get(i - 2));
			assertThat(order.get(i)).as("request %d of %s", i, order).isNotEqualTo(order.get(i - 1));
		}
	}

	@Test
	void refusedInstanceIsSkippedForEveryMethodSequentially() {
		b.stop();
		for (int i = 0; i < 20; i++) {
			assertThat(this.client.get("/get" + i).statusCode()).isEqualTo(200);
			HttpResponse<String> post = this.client.post("/post" + i, "payload-" + i);
			assertThat(post.statusCode()).isEqualTo(200);
			assertThat(Echo.parse(post.body()).bodyBytes()).isEqualTo(("payload-" + i).length());
		}
		assertThat(a.received()).hasSize(40);
	}

	@Test
	void refusedInstanceIsSkippedAtOneHundredConcurrentConnections() throws Exception {
		b.stop();
		ExecutorService pool = Executors.newFixedThreadPool(100);
		try {
			List<CompletableFuture<Integer>> statuses = new ArrayList<>();
			for (int i = 0; i < 1000; i++) {
				String path = "/c" + i;
				boolean post = i % 2 == 0;
				statuses.add(CompletableFuture.supplyAsync(
						() -> (post ? this.client.post(path, "x") : this.client.get(path)).statusCode(), pool));
			}
			for (CompletableFuture<Integer> status : statuses) {
				assertThat(status.get(60, TimeUnit.SECONDS)).isEqualTo(200);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(a.received()).hasSize(1000);
	}

	@Test
	void failedInstanceIsLeftOutForFailTimeoutThenTriedAgain() {
		b.stop();
		// Two requests: round robin sends one of them to b, whichever the position.
		this.client.get("/first");
		this.client.get("/second");
		assertThat(this.registry.upstream("bapis").instances().get("127.0.0.1:" + b.port()).isEjected(this.registry.now()))
			.isTrue();
		b.restart();
		for (int i = 0; i < 6; i++) {
			assertThat(this.client.get("/while-out" + i).headers().firstValue("Server")).hasValue("backend-a");
		}
		assertThat(b.requestCount()).isZero();
		clock.advance(Duration.ofSeconds(9));
		this.client.get("/still-out");
		assertThat(b.requestCount()).isZero();
		clock.advance(Duration.ofSeconds(1));
		for (int i = 0; i < 4; i++) {
			this.client.get("/back" + i);
		}
		assertThat(b.requestCount()).isEqualTo(2);
	}

	@Test
	void whenEveryInstanceIsOutTheyAreTriedAnyway() {
		a.stop();
		b.stop();
		assertThat(this.client.get("/both-down").statusCode()).isEqualTo(502);
		a.restart();
		b.restart();
		// As nginx: both are out (max-ejected-percent 100 by default), and the balancer tries them anyway.
		assertThat(this.registry.upstream("bapis").instances().values())
			.filteredOn(instance -> instance.isEjected(this.registry.now()))
			.hasSize(2);
		assertThat(this.client.get("/tried-anyway").statusCode()).isEqualTo(200);
		assertThat(this.client.get("/tried-anyway-again").statusCode()).isEqualTo(200);
	}

	@Test
	void everyInstanceDownGives502NamingTheUpstreamQuickly() {
		a.stop();
		b.stop();
		long start = System.nanoTime();
		HttpResponse<String> response = this.client.get("/down");
		long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
		assertThat(response.statusCode()).isEqualTo(502);
		assertThat(response.body()).contains("502 Bad Gateway").contains("bapis");
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
		assertThat(elapsedMillis).as("refused connections answer fast").isLessThan(1000);
	}

	@Test
	void resetBeforeResponseRetriesIdempotentRequestsOnly() {
		b.mode(FakeBackend.Mode.RESET);
		for (int i = 0; i < 4; i++) {
			assertThat(this.client.get("/idempotent" + i).statusCode()).isEqualTo(200);
		}
		clock.advance(Duration.ofMinutes(1));
		int posted = 0;
		int failed = 0;
		for (int i = 0; i < 4; i++) {
			int status = this.client.post("/not-idempotent" + i, "once").statusCode();
			posted += (status == 200) ? 1 : 0;
			failed += (status == 502) ? 1 : 0;
			clock.advance(Duration.ofMinutes(1));
		}
		// Alternation sends half the POSTs to the resetting instance; those were sent, so they are not re-sent.
		assertThat(failed).isEqualTo(2);
		assertThat(posted).isEqualTo(2);
		assertThat(a.received()).filteredOn(echo -> echo.method().equals("POST")).hasSize(2);
	}

}
