package io.portao.upstream;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every attempt to an instance is counted exactly once, retries included, and stays in flight until its response
 * was relayed to the end: what observability and the in-flight based policies build on.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0" })
class AttemptAccountingIntegrationTests {

	static final FakeBackend a = FakeBackend.start("backend-a");

	static final FakeBackend b = FakeBackend.start("backend-b");

	static final List<AttemptResult> ended = new CopyOnWriteArrayList<>();

	static final java.util.concurrent.atomic.AtomicBoolean listening = new java.util.concurrent.atomic.AtomicBoolean();

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, a, b);
	}

	@LocalServerPort
	int port;

	@Autowired
	UpstreamRegistry registry;

	@BeforeEach
	void listen() {
		if (listening.compareAndSet(false, true)) {
			this.registry.addListener(ended::add);
		}
	}

	@AfterAll
	static void stopBackends() {
		a.close();
		b.close();
	}

	@Test
	void countsEveryAttemptExactlyOnceAndNothingStaysInFlight() throws Exception {
		Map<String, InstanceState> before = instances();
		long requestsBefore = total(before, InstanceState::requests);
		int endedBefore = ended.size();
		a.delay(Duration.ofMillis(20));
		int n = 400;
		ExecutorService pool = Executors.newFixedThreadPool(16);
		try {
			GatewayClient client = new GatewayClient(this.port);
			List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, n)
				.mapToObj(i -> CompletableFuture.supplyAsync(() -> client.get("/items/" + i), pool))
				.toList();
			for (CompletableFuture<HttpResponse<String>> response : responses) {
				assertThat(response.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			}
		}
		finally {
			pool.shutdownNow();
			a.delay(Duration.ZERO);
		}
		Map<String, InstanceState> after = instances();
		assertThat(total(after, InstanceState::requests) - requestsBefore).isEqualTo(n);
		await().atMost(Duration.ofSeconds(5)).until(() -> ended.size() - endedBefore == n);
		assertThat(after.values()).allSatisfy(state -> assertThat(state.inFlight()).isZero());
		assertThat(ended.subList(endedBefore, ended.size())).allSatisfy(result -> {
			assertThat(result.outcome()).isEqualTo(AttemptResult.Outcome.RESPONSE);
			assertThat(result.status()).isEqualTo(200);
			assertThat(result.totalNanos()).isGreaterThanOrEqualTo(result.headerNanos());
		});
	}

	@Test
	void countsTheFailedAttemptAndTheRetryThatFollowed() {
		GatewayClient client = new GatewayClient(this.port);
		client.get("/warm");
		b.stop();
		try {
			long failuresBefore = total(instances(), InstanceState::failures);
			long requestsBefore = total(instances(), InstanceState::requests);
			int endedBefore = ended.size();
			for (int i = 0; i < 4; i++) {
				assertThat(client.get("/x").statusCode()).isEqualTo(200);
			}
			long failures = total(instances(), InstanceState::failures) - failuresBefore;
			assertThat(failures).isEqualTo(1);
			assertThat(total(instances(), InstanceState::requests) - requestsBefore).isEqualTo(4 + failures);
			await().atMost(Duration.ofSeconds(5)).until(() -> ended.size() - endedBefore == 5);
			assertThat(ended.subList(endedBefore, ended.size()))
				.filteredOn(result -> result.outcome() == AttemptResult.Outcome.CONNECT)
				.singleElement()
				.satisfies(result -> {
					assertThat(result.instance().authority()).isEqualTo("127.0.0.1:" + b.port());
					assertThat(result.cause()).isEqualTo("connect refused");
					assertThat(result.status()).isZero();
				});
			assertThat(instances().values()).allSatisfy(state -> assertThat(state.inFlight()).isZero());
		}
		finally {
			b.restart();
		}
	}

	private Map<String, InstanceState> instances() {
		return this.registry.upstream("bapis").instances();
	}

	private static long total(Map<String, InstanceState> instances,
			java.util.function.ToLongFunction<InstanceState> counter) {
		return instances.values().stream().mapToLong(counter).sum();
	}

}
