package io.portao.limits;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.limits.UploadFirstClient.Outcome;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * nginx's lingering close, over real sockets: a client that writes its whole body before reading (Python's
 * {@code http.client}, {@code requests}) reads the early answer ({@code 413}, {@code 431}, the {@code 503} of an
 * upstream without instances) and then EOF, instead of {@code Connection reset by peer}; and a client that keeps
 * sending, or stops sending, is closed within the lingering bounds (short here: 4s in all, 1s of silence).
 * The body cap is the default 1MB.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0", "portao.limits.lingering-time=4s",
				"portao.limits.lingering-timeout=1s" })
class LingeringCloseIntegrationTests {

	static final long MIB = 1024 * 1024;

	static final Duration LINGERING_TIME = Duration.ofSeconds(4);

	static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

	static final FakeBackend backend = FakeBackend.start("backend-a");

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, backend);
		// An upstream without any instance: 503 before the request body is read.
		registry.add("spring.cloud.gateway.server.webflux.routes[1].id", () -> "nowhere");
		registry.add("spring.cloud.gateway.server.webflux.routes[1].uri", () -> "lb://nowhere");
		registry.add("spring.cloud.gateway.server.webflux.routes[1].predicates[0]", () -> "Path=/nowhere/**");
		registry.add("spring.cloud.gateway.server.webflux.routes[1].order", () -> "-1");
	}

	@LocalServerPort
	int port;

	@AfterEach
	void gatewayStillServes() {
		backend.clear();
		assertThat(new GatewayClient(this.port).get("/still-serving").statusCode()).isEqualTo(200);
		backend.clear();
	}

	@AfterAll
	static void stop() {
		backend.close();
	}

	private static String post(String target, long length, boolean chunked) {
		return "POST " + target + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/octet-stream\r\n"
				+ (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + length + "\r\n") + "\r\n";
	}

	@ParameterizedTest(name = "{0} MiB, chunked: {1}")
	@CsvSource({ "5, false", "65, false", "5, true", "65, true" })
	void wholeBodyFirstClientReads413WithABodyThenEof(int mib, boolean chunked) throws Exception {
		try (Socket socket = UploadFirstClient.connect(this.port)) {
			Outcome outcome = UploadFirstClient.upload(socket, post("/upload", mib * MIB, chunked), mib * MIB, chunked,
					READ_TIMEOUT);

			assertThat(outcome.writeError()).as("the whole body was written: %s", outcome).isNull();
			assertThat(outcome.status()).as(outcome.toString()).isEqualTo(413);
			assertThat(outcome.answer()).containsIgnoringCase("Connection: close");
			assertThat(outcome.body()).as("a readable body").contains("413 Request Entity Too Large");
			assertThat(outcome.eof()).as("EOF after the answer: %s", outcome).isTrue();
		}
		// A chunked body streams: the instance may have seen the head, never a whole request.
		assertThat(backend.received()).isEmpty();
	}

	@Test
	void wholeBodyFirstClientReads431ThenEof() throws Exception {
		String head = "POST /upload HTTP/1.1\r\nHost: h\r\nX-Big: " + "b".repeat(9000) + "\r\nContent-Length: "
				+ 5 * MIB + "\r\n\r\n";
		try (Socket socket = UploadFirstClient.connect(this.port)) {
			Outcome outcome = UploadFirstClient.upload(socket, head, 5 * MIB, false, READ_TIMEOUT);

			assertThat(outcome.writeError()).as("the whole body was written: %s", outcome).isNull();
			assertThat(outcome.status()).as(outcome.toString()).isEqualTo(431);
			assertThat(outcome.eof()).as("EOF after the answer: %s", outcome).isTrue();
		}
		assertThat(backend.requestCount()).isZero();
	}

	/**
	 * The {@code 503} goes out while the body is still arriving (the client waits until it could read it, so that
	 * it is the {@code 503} and not the body cap that answers); the body then passes the 1MB cap, which closes
	 * the connection.
	 */
	@Test
	void postToAnUpstreamWithoutInstancesReads503ThenEof() throws Exception {
		try (Socket socket = UploadFirstClient.connect(this.port)) {
			socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
			OutputStream out = socket.getOutputStream();
			out.write(bytes(post("/nowhere/upload", 0, true) + "5\r\nfirst\r\n"));
			out.flush();
			awaitReadable(socket.getInputStream());
			IOException writeError = null;
			try {
				UploadFirstClient.writeBody(out, 5 * MIB, true);
				out.flush();
			}
			catch (IOException ex) {
				writeError = ex;
			}
			Outcome outcome = UploadFirstClient.read(socket.getInputStream(), writeError);

			assertThat(outcome.writeError()).as("the whole body was written: %s", outcome).isNull();
			assertThat(outcome.status()).as(outcome.toString()).isEqualTo(503);
			assertThat(outcome.body()).contains("503");
			assertThat(outcome.eof()).as("EOF after the answer: %s", outcome).isTrue();
		}
	}

	/** A client still sending after the {@code 413}, never pausing for a whole lingering timeout. */
	@Test
	void tricklingSenderIsClosedAtTheLingeringTime() throws Exception {
		try (Socket socket = UploadFirstClient.connect(this.port)) {
			socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
			OutputStream out = socket.getOutputStream();
			out.write(bytes(post("/upload", 5 * MIB, false)));
			out.flush();
			assertThat(UploadFirstClient.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 413 ");
			Duration open = trickleUntilClosed(out, Duration.ofMillis(100), Duration.ofSeconds(20));
			System.out.printf("lingering: a byte every 100 ms after the 413, closed after %d ms (lingering time %d ms)"
					+ "%n", open.toMillis(), LINGERING_TIME.toMillis());

			assertThat(open).as("kept reading, then closed at the lingering time")
				.isBetween(LINGERING_TIME.minusMillis(500), LINGERING_TIME.plusSeconds(3));
		}
	}

	/** A client that stops sending after the {@code 413} is closed after the lingering timeout of silence. */
	@Test
	void silentClientIsClosedAtTheLingeringTimeout() throws Exception {
		try (Socket socket = UploadFirstClient.connect(this.port)) {
			socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
			OutputStream out = socket.getOutputStream();
			out.write(bytes(post("/upload", 5 * MIB, false)));
			out.flush();
			InputStream in = socket.getInputStream();
			assertThat(UploadFirstClient.readResponse(in)).startsWith("HTTP/1.1 413 ");
			assertThat(in.read()).as("the gateway half-closed after its answer").isEqualTo(-1);
			long start = System.nanoTime();
			// Still open: two writes 200 ms apart both go through (a closed connection answers the first with RST).
			out.write('x');
			Thread.sleep(200);
			out.write('x');
			out.flush();
			// Then silence, longer than the 1s lingering timeout and well short of the 4s lingering time.
			Thread.sleep(2000);
			trickleUntilClosed(out, Duration.ofMillis(100), Duration.ofSeconds(10));
			Duration closed = Duration.ofNanos(System.nanoTime() - start);
			System.out.printf("lingering: silent 2 s after its last byte, found closed %d ms after the 413 "
					+ "(lingering timeout 1 s)%n", closed.toMillis());

			assertThat(closed).as("closed by the silence, before the lingering time")
				.isLessThan(LINGERING_TIME.minusMillis(500));
		}
	}

	/** Normal uploads are not affected: answered by the instance, and the connection stays alive. */
	@Test
	void bodyUnderTheCapIsProxiedAndTheConnectionKeptAlive() throws Exception {
		try (Socket socket = UploadFirstClient.connect(this.port)) {
			socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			for (int i = 0; i < 2; i++) {
				out.write(bytes(post("/upload", 512 * 1024, i == 1)));
				UploadFirstClient.writeBody(out, 512 * 1024, i == 1);
				out.flush();
				assertThat(UploadFirstClient.readResponse(in)).startsWith("HTTP/1.1 200 ");
			}
		}
		assertThat(backend.received()).extracting(FakeBackend.Echo::bodyBytes).containsExactly(512 * 1024, 512 * 1024);
	}

	/** The client of the issue, when a {@code python3} is at hand: Python's own http.client. */
	@Test
	void pythonHttpClientReads413(@TempDir Path dir) throws Exception {
		Path script = dir.resolve("upload.py");
		Files.writeString(script, """
				import http.client, sys
				c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=20)
				c.request("POST", "/upload", body=b"x" * (5 * 1024 * 1024))
				r = c.getresponse()
				print(r.status, r.read().decode().strip())
				""");
		Process python;
		try {
			python = new ProcessBuilder("python3", script.toString(), String.valueOf(this.port))
				.redirectErrorStream(true)
				.start();
		}
		catch (IOException noPython) {
			assumeThat(noPython).as("python3 not found: skipped").isNull();
			return;
		}
		boolean exited = python.waitFor(60, TimeUnit.SECONDS);
		if (!exited) {
			python.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(exited).as(output).isTrue();
		assertThat(output).as(output).startsWith("413 413 Request Entity Too Large");
	}

	/**
	 * Writes a byte every {@code pause} until a write fails (the gateway closed: the first write after its close
	 * is answered with a reset, the next one fails), for at most {@code limit}; returns how long that took.
	 */
	private static Duration trickleUntilClosed(OutputStream out, Duration pause, Duration limit) throws Exception {
		long start = System.nanoTime();
		while (System.nanoTime() - start < limit.toNanos()) {
			try {
				out.write('x');
				out.flush();
			}
			catch (IOException closed) {
				return Duration.ofNanos(System.nanoTime() - start);
			}
			Thread.sleep(pause.toMillis());
		}
		throw new AssertionError("still open after " + limit);
	}

	private static void awaitReadable(InputStream in) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (in.available() == 0) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("no answer within 10s");
			}
			Thread.sleep(20);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

}
