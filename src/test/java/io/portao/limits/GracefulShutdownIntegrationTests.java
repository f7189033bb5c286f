package io.portao.limits;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.portao.support.FakeBackend;
import io.portao.support.PortaoJar;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM ({@code Process.destroy()}) to the packaged jar while 100 requests of 2 s each are in flight: every one
 * completes with 200, readiness stops answering UP, new connections are refused, and the process exits within
 * the grace period ({@code spring.lifecycle.timeout-per-shutdown-phase}, 30 s).
 */
class GracefulShutdownIntegrationTests {

	static final int REQUESTS = 100;

	static final FakeBackend backend = FakeBackend.start("slow").delay(Duration.ofSeconds(2));

	@AfterAll
	static void stop() {
		backend.close();
	}

	@Test
	void inFlightRequestsCompleteAfterSigterm(@TempDir Path dir) throws Exception {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5)).build();
		try (PortaoJar gateway = PortaoJar.startContract(dir, List.of(backend.uri()))) {
			List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
			for (int i = 0; i < REQUESTS; i++) {
				HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/slow/" + i))
					.timeout(Duration.ofSeconds(60)).build();
				responses.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
			}
			awaitInFlight(REQUESTS, Duration.ofSeconds(30));

			long sigterm = System.nanoTime();
			gateway.process().destroy();
			String readiness = awaitNotReady(client, gateway.managementPort(), Duration.ofSeconds(10));
			long pendingWhenNotReady = responses.stream().filter(r -> !r.isDone()).count();
			boolean exited = gateway.process().waitFor(40, TimeUnit.SECONDS);
			Duration exit = Duration.ofNanos(System.nanoTime() - sigterm);

			int ok = 0;
			List<String> errors = new ArrayList<>();
			for (CompletableFuture<HttpResponse<String>> response : responses) {
				try {
					int status = response.get(30, TimeUnit.SECONDS).statusCode();
					ok += (status == 200) ? 1 : 0;
					if (status != 200) {
						errors.add("status " + status);
					}
				}
				catch (Exception ex) {
					errors.add(String.valueOf(ex.getCause()));
				}
			}
			System.out.printf("SIGTERM with %d in flight: readiness %s while %d still in flight; %d x 200, errors %s, "
					+ "exit after %d ms%n", REQUESTS, readiness, pendingWhenNotReady, ok, errors, exit.toMillis());
			assertThat(readiness).isIn("503", "refused");
			assertThat(pendingWhenNotReady).as("readiness went down before the in-flight requests ended").isPositive();
			assertThat(errors).as(gateway.log()).isEmpty();
			assertThat(ok).isEqualTo(REQUESTS);
			assertThat(exited).as("exited").isTrue();
			assertThat(exit).isLessThan(Duration.ofSeconds(32));
			assertThat(gateway.log()).contains("Graceful shutdown complete");
		}
	}

	/** Polls readiness on the management port until it is not UP: "503" (OUT_OF_SERVICE) or "refused". */
	private static String awaitNotReady(HttpClient client, int managementPort, Duration timeout) throws Exception {
		HttpRequest probe = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness"))
			.timeout(Duration.ofMillis(500)).build();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				int status = client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
				if (status != 200) {
					return String.valueOf(status);
				}
			}
			catch (java.io.IOException refused) {
				return "refused";
			}
			Thread.sleep(20);
		}
		return "still UP";
	}

	private static void awaitInFlight(int count, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (backend.requestCount() < count && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(backend.requestCount()).as("requests in flight at the instance").isEqualTo(count);
	}

}
