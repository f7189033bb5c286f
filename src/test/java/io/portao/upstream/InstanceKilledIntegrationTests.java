package io.portao.upstream;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.FakeBackendProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances, one killed with SIGKILL a few seconds into a 20 s run of 100 concurrent connections sending GET
 * and POST: the clients see no error at all.
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
		registry.add("spring.cloud.discovery.client.simple.instances.bapis[0].uri", survivor::uri);
		registry.add("spring.cloud.discovery.client.simple.instances.bapis[1].uri", victim::uri);
		registry.add("spring.cloud.gateway.server.webflux.routes[0].id", () -> "bapis");
		registry.add("spring.cloud.gateway.server.webflux.routes[0].uri", () -> "lb://bapis");
		registry.add("spring.cloud.gateway.server.webflux.routes[0].predicates[0]", () -> "Path=/**");
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() throws InterruptedException {
		survivor.close();
		victim.close();
	}

	@Test
	void killingOneOfTwoInstancesUnderLoadCostsNoClientRequest() throws Exception {
		Counts get = new Counts();
		Counts post = new Counts();
		ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS);
		long end = System.nanoTime() + RUN.toNanos();
		List<Future<?>> running = new ArrayList<>();
		for (int i = 0; i < CONNECTIONS; i++) {
			boolean posting = i % 2 == 1;
			running.add(clients.submit(() -> loop(posting ? post : get, posting, end)));
		}
		Thread.sleep(KILL_AFTER.toMillis());
		long killedAt = System.nanoTime();
		victim.kill();
		for (Future<?> future : running) {
			future.get(RUN.toSeconds() + 30, TimeUnit.SECONDS);
		}
		clients.shutdownNow();
		System.out.printf("SIGKILL run: killed pid %d after %d ms; GET %s; POST %s%n", victim.pid(),
				KILL_AFTER.toMillis(), get, post);
		assertThat(get.ok.get()).isGreaterThan(1000);
		assertThat(post.ok.get()).isGreaterThan(1000);
		assertThat(get.errors()).as("GET errors: %s", get).isZero();
		assertThat(post.errors()).as("POST errors: %s", post).isZero();
		assertThat(killedAt).isLessThan(end);
	}

	private void loop(Counts counts, boolean posting, long end) {
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		URI uri = URI.create("http://127.0.0.1:" + this.port + "/load");
		while (System.nanoTime() < end) {
			HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
			request = posting ? request.POST(HttpRequest.BodyPublishers.ofString("order=42")) : request.GET();
			try {
				HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
				(response.statusCode() == 200 ? counts.ok : counts.bad).incrementAndGet();
			}
			catch (Exception ex) {
				counts.failed.incrementAndGet();
			}
		}
	}

	static final class Counts {

		final AtomicLong ok = new AtomicLong();

		final AtomicLong bad = new AtomicLong();

		final AtomicLong failed = new AtomicLong();

		long errors() {
			return this.bad.get() + this.failed.get();
		}

		@Override
		public String toString() {
			return this.ok + " ok, " + this.bad + " non-200, " + this.failed + " failed";
		}

	}

}
