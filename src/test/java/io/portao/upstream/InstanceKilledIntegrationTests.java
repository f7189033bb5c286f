package io.portao.upstream;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackendProcess;
import io.portao.support.NginxProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances, one killed with SIGKILL five seconds into a 20 s run of 100 concurrent connections (50 sending
 * GET, 50 sending POST).
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0" })
class InstanceKilledIntegrationTests {

	static final int CONNECTIONS = 100;

	static final Duration RUN = Duration.ofSeconds(20);

	static final Duration KILL_AFTER = Duration.ofSeconds(5);

	static final FakeBackendProcess survivor;

	static final FakeBackendProcess victim;

	static {
		try {
			survivor = FakeBackendProcess.start("survivor");
			victim = FakeBackendProcess.start("victim");
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.registerUris(registry, List.of(survivor::uri, victim::uri));
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() throws InterruptedException {
		survivor.close();
		victim.close();
	}

	/**
	 * GET never fails: whatever the dead instance had, it is re-sent elsewhere. A POST the instance had already
	 * received when it died is not re-sent (nginx: "non-idempotent requests are not passed to the next server if a
	 * request has been sent"): the client gets a clean 502 for those, never a broken connection, and no more of them
	 * than requests that can have been in flight at the instance.
	 */
	@Test
	void killingOneOfTwoInstancesUnderLoadCostsNoGetAndOnlyPostsInFlightAtIt() throws Exception {
		Result portao = run(this.port, victim);
		System.out.println("SIGKILL run through Portão: " + portao);
		assertLosesNoGetAndOnlyPostsInFlight(portao);
	}

	/** The same scenario through nginx, the oracle: the same promise holds there. */
	@Test
	void nginxKeepsTheSamePromise(@TempDir Path nginxDir) throws Exception {
		NginxProcess.assumeInstalled();
		Result nginx = throughNginx(nginxDir);
		System.out.println("SIGKILL run through nginx: " + nginx);
		assertLosesNoGetAndOnlyPostsInFlight(nginx);
	}

	private static void assertLosesNoGetAndOnlyPostsInFlight(Result result) {
		// Only that the run did work: throughput depends on the machine (main and this branch both made ~700 POSTs
		// at load average 20 on 2 cores, against ~8700 on a quiet machine).
		assertThat(result.get.ok.get()).isGreaterThan(100);
		assertThat(result.post.ok.get()).isGreaterThan(100);
		assertThat(result.get.errors()).as("GET errors: %s", result.get).isZero();
		assertThat(result.post.failed.get()).as("POST connection failures: %s", result.post).isZero();
		assertThat(result.post.bad.get()).as("POST 502s: %s", result.post).isLessThanOrEqualTo(CONNECTIONS / 2);
	}

	private static Result throughNginx(Path dir) throws Exception {
		try (FakeBackendProcess first = FakeBackendProcess.start("nginx-survivor");
				FakeBackendProcess second = FakeBackendProcess.start("nginx-victim");
				NginxProcess nginx = NginxProcess.start(dir, List.of(first.port(), second.port()), dir)) {
			return run(nginx.port(), second);
		}
	}

	private static Result run(int proxyPort, FakeBackendProcess toKill) throws Exception {
		Result result = new Result();
		ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS);
		long end = System.nanoTime() + RUN.toNanos();
		List<Future<?>> running = new ArrayList<>();
		for (int i = 0; i < CONNECTIONS; i++) {
			boolean posting = i % 2 == 1;
			running.add(clients.submit(() -> loop(proxyPort, posting ? result.post : result.get, posting, end)));
		}
		Thread.sleep(KILL_AFTER.toMillis());
		toKill.kill();
		for (Future<?> future : running) {
			future.get(RUN.toSeconds() + 30, TimeUnit.SECONDS);
		}
		clients.shutdownNow();
		return result;
	}

	private static void loop(int proxyPort, Counts counts, boolean posting, long end) {
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		URI uri = URI.create("http://127.0.0.1:" + proxyPort + "/load");
		while (System.nanoTime() < end) {
			HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
			request = posting ? request.POST(HttpRequest.BodyPublishers.ofString("order=42")) : request.GET();
			try {
				HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
				(response.statusCode() == 200 ? counts.ok : counts.bad).incrementAndGet();
			}
			catch (Exception ex) {
				counts.failed.incrementAndGet();
				counts.causes.add(ex.toString());
			}
		}
	}

	static final class Result {

		final Counts get = new Counts();

		final Counts post = new Counts();

		@Override
		public String toString() {
			return "GET " + this.get + "; POST " + this.post;
		}

	}

	static final class Counts {

		final AtomicLong ok = new AtomicLong();

		final AtomicLong bad = new AtomicLong();

		final AtomicLong failed = new AtomicLong();

		/** What the failures were, so that a failed run says why. */
		final Set<String> causes = ConcurrentHashMap.newKeySet();

		long errors() {
			return this.bad.get() + this.failed.get();
		}

		@Override
		public String toString() {
			return this.ok + " ok, " + this.bad + " non-200, " + this.failed + " failed"
					+ (this.causes.isEmpty() ? "" : " " + this.causes);
		}

	}

}
