package io.portao.limits;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.FreePorts;
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

	/**
	 * A static file still being sent when SIGTERM arrives arrives whole, with the lanes on (the file is sent by the
	 * static lane in the connection's pipeline, whose responses the shutdown waits for) and off (by Spring's
	 * handler through Reactor Netty, whose shutdown waits for its own): the client reads its first megabyte, stops
	 * reading while the gateway is told to stop, then reads the rest.
	 */
	@ParameterizedTest(name = "lanes on: {0}")
	@ValueSource(booleans = { true, false })
	void aStaticFileBeingSentArrivesWholeAfterSigterm(boolean lanes, @TempDir Path dir) throws Exception {
		Path www = Files.createDirectories(dir.resolve("www"));
		int size = 48 * 1024 * 1024;
		Files.write(www.resolve("big.bin"), new byte[size]);
		int port = FreePorts.next();
		Path config = Files.writeString(dir.resolve("contract.yml"), ContractProperties.yaml(port, List.of(backend.uri())));
		try (PortaoJar gateway = PortaoJar.start(dir, List.of("--spring.config.additional-location=file:" + config,
				"--management.server.port=" + FreePorts.next(), "--spring.web.resources.static-locations=file:" + www + "/",
				"--portao.proxy.lane.enabled=" + lanes), port);
				Socket socket = new Socket()) {
			socket.setReceiveBufferSize(64 * 1024);
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			socket.setSoTimeout(30_000);
			socket.getOutputStream()
				.write("GET /static/big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[64 * 1024];
			ByteArrayOutputStream start = new ByteArrayOutputStream();
			long read = 0;
			while (read < 1024 * 1024) {
				int n = in.read(buffer);
				assertThat(n).as("bytes before SIGTERM").isPositive();
				if (start.size() < 8192) {
					start.write(buffer, 0, n);
				}
				read += n;
			}

			gateway.process().destroy();
			// Long enough for the shutdown to close what it does not wait for.
			Thread.sleep(1500);
			for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
				read += n;
			}

			String received = start.toString(StandardCharsets.ISO_8859_1);
			int head = received.indexOf("\r\n\r\n") + 4;
			assertThat(received).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: " + size + "\r\n");
			assertThat(read - head).as("body bytes received; " + gateway.log()).isEqualTo(size);
			assertThat(gateway.process().waitFor(40, TimeUnit.SECONDS)).as("exited").isTrue();
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
