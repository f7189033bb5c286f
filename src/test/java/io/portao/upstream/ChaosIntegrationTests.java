package io.portao.upstream;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three instances under 100 concurrent connections (80 sending GET, 20 sending POST, each with a unique
 * {@code X-Request-Id}) for 30 s, as the issue asks: one is restarted (down 2 s), one
 * made to hang (accepts, never answers), one killed (every socket closed abruptly, port refused from then on).
 * No GET fails; the hung instance is ejected within its response timeout; retries stay within the retry budget;
 * no POST reaches two instances.
 *
 * <p>Two of three instances are out at the end: both are ejected ({@code max-ejected-percent} is 100 by default, as
 * nginx), so no request waits on the hung one once its first timeout fired.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0", "portao.upstreams.bapis.response-timeout=2s",
				"portao.upstreams.bapis.fail-timeout=3s" })
class ChaosIntegrationTests {

	static final Duration RUN = Duration.ofSeconds(30);

	static final int GET_CONNECTIONS = 80;

	static final int POST_CONNECTIONS = 20;

	static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(2);

	static final FakeBackend restarted = FakeBackend.start("restarted");

	static final FakeBackend hung = FakeBackend.start("hung");

	static final FakeBackend killed = FakeBackend.start("killed");

	/** Request ids of the POSTs the hung instance received (it records them before hanging). */
	static final Queue<String> hungPosts = new ConcurrentLinkedQueue<>();

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, restarted, hung, killed);
	}

	@LocalServerPort
	int port;

	@Autowired
	UpstreamRegistry registry;

	@AfterAll
	static void stop() {
		restarted.close();
		hung.close();
		killed.close();
	}

	@Test
	void noGetFailsNoPostIsDuplicatedAndRetriesStayWithinTheBudget() throws Exception {
		warmUp();
		Counts gets = new Counts();
		Counts posts = new Counts();
		long hangAt = runWithFaults(gets, posts);
		Upstream upstream = this.registry.upstream("bapis");
		long clientRequests = gets.total() + posts.total();
		long attempts = upstream.instances().values().stream().mapToLong(InstanceState::requests).sum()
				- this.warmUpAttempts;
		long received = restarted.requestCount() + hung.requestCount() + killed.requestCount();
		long retries = attempts - clientRequests;
		RetryBudgetProperties budget = upstream.settings().retryBudget();
		System.out.printf("chaos: client requests %d (GET %s; POST %s), gateway attempts %d, backends received %d, "
				+ "retries %d (%.2f %% of requests), POST duplicates %d%n", clientRequests, gets, posts, attempts,
				received, retries, 100.0 * retries / clientRequests, duplicatePosts().size());

		System.out.printf("chaos: hung instance ejected %d ms after it started hanging (response timeout %d ms)%n",
				this.firstEjectionAt - hangAt, RESPONSE_TIMEOUT.toMillis());
		assertThat(gets.failed()).as("failed GETs: %s", gets).isZero();
		assertThat(duplicatePosts()).as("POSTs delivered to two instances").isEmpty();
		assertThat(retries).as("retries within ratio × requests + minimum × seconds")
			.isLessThanOrEqualTo((long) (budget.ratio() * clientRequests) + budget.minPerSecond() * RUN.toSeconds());
		InstanceState hungState = upstream.instances().get("127.0.0.1:" + hung.port());
		assertThat(hungState.ejectedUntil()).as("ejected at least once").isPositive();
		long firstFailure = hungState.lastFailureAt().toEpochMilli();
		assertThat(hungState.lastFailureCause()).isNotNull();
		assertThat(firstEjectionAt - hangAt).as("hung instance ejected within its response timeout (+ slack)")
			.isBetween(RESPONSE_TIMEOUT.toMillis() - 100, RESPONSE_TIMEOUT.toMillis() + 1500);
		assertThat(firstFailure).isGreaterThanOrEqualTo(hangAt);
	}

	volatile long firstEjectionAt;

	/**
	 * A cold gateway on a busy CI machine can take longer than the response timeout for its first requests: 3 s of
	 * lighter load first, not counted, so that the faults are what the run measures.
	 */
	private void warmUp() throws Exception {
		ExecutorService clients = Executors.newFixedThreadPool(20);
		try {
			long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
			List<Future<?>> running = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				running.add(clients.submit(() -> loop(new Counts(), false, end)));
			}
			for (Future<?> future : running) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			clients.shutdownNow();
		}
		// Should a slow start have ejected an instance, its (3 s) ejection ends before the run.
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> this.registry.upstream("bapis")
			.instances().values().stream().allMatch(state -> state.status(this.registry.now()) == InstanceStatus.UP));
		restarted.clear();
		hung.clear();
		killed.clear();
		long attempts = this.registry.upstream("bapis").instances().values().stream()
			.mapToLong(InstanceState::requests).sum();
		this.warmUpAttempts = attempts;
	}

	long warmUpAttempts;

	private long runWithFaults(Counts gets, Counts posts) throws Exception {
		ExecutorService clients = Executors.newFixedThreadPool(GET_CONNECTIONS + POST_CONNECTIONS);
		long end = System.nanoTime() + RUN.toNanos();
		List<Future<?>> running = new ArrayList<>();
		for (int i = 0; i < GET_CONNECTIONS + POST_CONNECTIONS; i++) {
			boolean posting = i < POST_CONNECTIONS;
			running.add(clients.submit(() -> loop(posting ? posts : gets, posting, end)));
		}
		long hangAt;
		try {
			Thread.sleep(2_000);
			restarted.stop();
			Thread.sleep(2_000);
			restarted.restart();
			Thread.sleep(4_000);
			hung.handler((request, response) -> {
				if ("POST".equals(request.method().name())) {
					hungPosts.add(request.requestHeaders().get("X-Request-Id"));
				}
				return Mono.never();
			});
			hangAt = System.currentTimeMillis();
			watchEjection(hangAt);
			Thread.sleep(5_000);
			killed.stop();
			for (Future<?> future : running) {
				future.get(RUN.toSeconds() + 60, TimeUnit.SECONDS);
			}
		}
		finally {
			clients.shutdownNow();
		}
		return hangAt;
	}

	/** Polls (10 ms) for the hung instance's first ejection, in wall-clock time, for up to 5 s. */
	private void watchEjection(long since) {
		Thread watcher = new Thread(() -> {
			long deadline = since + 5_000;
			while (System.currentTimeMillis() < deadline) {
				InstanceState state = this.registry.upstream("bapis").instances().get("127.0.0.1:" + hung.port());
				if (state != null && state.isEjected(this.registry.now())) {
					this.firstEjectionAt = System.currentTimeMillis();
					return;
				}
				try {
					Thread.sleep(10);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		});
		watcher.setDaemon(true);
		watcher.start();
	}

	private void loop(Counts counts, boolean posting, long end) {
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		URI uri = URI.create("http://127.0.0.1:" + this.port + "/chaos");
		while (System.nanoTime() < end) {
			String id = UUID.randomUUID().toString();
			HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("X-Request-Id", id);
			request = posting ? request.POST(HttpRequest.BodyPublishers.ofString("order=" + id)) : request.GET();
			try {
				HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
				(response.statusCode() == 200 ? counts.ok : counts.bad).incrementAndGet();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Exception ex) {
				counts.broken.incrementAndGet();
			}
		}
	}

	/** Request ids of POSTs that reached more than one instance. */
	private static List<String> duplicatePosts() {
		Map<String, Integer> seen = new HashMap<>();
		for (FakeBackend backend : List.of(restarted, hung, killed)) {
			backend.received()
				.stream()
				.filter(echo -> echo.method().equals("POST"))
				.forEach(echo -> seen.merge(echo.header("X-Request-Id"), 1, Integer::sum));
		}
		hungPosts.forEach(id -> seen.merge(id, 1, Integer::sum));
		return seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
	}

	static final class Counts {

		final AtomicLong ok = new AtomicLong();

		final AtomicLong bad = new AtomicLong();

		final AtomicLong broken = new AtomicLong();

		long total() {
			return this.ok.get() + this.bad.get() + this.broken.get();
		}

		long failed() {
			return this.bad.get() + this.broken.get();
		}

		@Override
		public String toString() {
			return this.ok + " ok, " + this.bad + " non-200, " + this.broken + " broken";
		}

	}

}
