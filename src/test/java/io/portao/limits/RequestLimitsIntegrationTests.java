package io.portao.limits;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.limits.WireClient.Answer;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The body cap (chunked or not), the body read timeout and the header deadline, over real sockets, with short
 * values so that the test is quick.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0", "portao.limits.max-body-size=64KB",
				"portao.limits.body-read-timeout=1s", "portao.limits.header-timeout=2s" })
class RequestLimitsIntegrationTests {

	static final int CAP = 64 * 1024;

	static final FakeBackend backend = FakeBackend.start("backend-a");

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, backend);
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

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	@Test
	void bodyOfExactlyTheCapIsProxied() throws Exception {
		String request = "POST /up HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: " + CAP + "\r\n\r\n"
				+ "x".repeat(CAP);
		Answer answer = WireClient.send(this.port, bytes(request), Duration.ofSeconds(10));
		assertThat(answer.status()).isEqualTo(200);
		assertThat(backend.received()).singleElement().extracting(FakeBackend.Echo::bodyBytes).isEqualTo(CAP);
	}

	@Test
	void chunkedBodyGrowingPastTheCapGets413AndTheInstanceNeverGetsAWholeRequest() throws Exception {
		StringBuilder body = new StringBuilder();
		for (int i = 0; i < 20; i++) {
			body.append("1000\r\n").append("y".repeat(4096)).append("\r\n");
		}
		body.append("0\r\n\r\n");
		String request = "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + body;
		Answer answer = WireClient.send(this.port, bytes(request), Duration.ofSeconds(10));
		assertThat(answer.status()).isIn(413, -1);
		assertThat(answer.closed()).isTrue();
		assertThat(backend.received()).isEmpty();
	}

	@Test
	void hundredHeadersAreAccepted() throws Exception {
		StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n");
		for (int i = 0; i < 98; i++) {
			request.append("X-").append(i).append(": v\r\n");
		}
		assertThat(WireClient.send(this.port, bytes(request.append("\r\n").toString()), Duration.ofSeconds(10))
			.status()).isEqualTo(200);
	}

	@Test
	void bodyThatStopsArrivingIsCutAtTheBodyReadTimeout() throws Exception {
		long start = System.nanoTime();
		Answer answer = WireClient.send(this.port,
				bytes("POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc"), Duration.ofSeconds(15));
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(answer.closed()).isTrue();
		assertThat(answer.status()).isIn(408, -1);
		assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(12));
		assertThat(backend.received()).isEmpty();
	}

	@Test
	void bodyArrivingInPiecesWithinTheBodyReadTimeoutIsProxiedAndTheConnectionMayThenIdlePastIt() throws Exception {
		backend.delay(Duration.ofMillis(1600));
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
			socket.setSoTimeout(10000);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			out.write(bytes("POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n\r\n"));
			for (int i = 0; i < 3; i++) {
				Thread.sleep(600);
				out.write(bytes("abc"));
			}
			// The answer takes longer than the timeout once the body is in, then the connection idles past it.
			assertThat(readResponseHead(in)).startsWith("HTTP/1.1 200");
			backend.delay(Duration.ZERO);
			Thread.sleep(1500);
			out.write(bytes("GET /next HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"));
			assertThat(readResponseHead(in)).startsWith("HTTP/1.1 200");
		}
		finally {
			backend.delay(Duration.ZERO);
		}
		assertThat(backend.received()).extracting(FakeBackend.Echo::bodyBytes).containsExactly(9, 0);
	}

	@Test
	void headThatStopsArrivingGets408AtTheHeaderDeadline() throws Exception {
		long start = System.nanoTime();
		String answer = answerToHeadThatStops();
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(answer).startsWith("HTTP/1.1 408 ");
		assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(12));
		assertThat(backend.requestCount()).isZero();
	}

	@Test
	void idleKeepAliveConnectionIsNotCutByTheHeaderDeadline() throws Exception {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
			socket.setSoTimeout(10000);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			byte[] get = bytes("GET /one HTTP/1.1\r\nHost: h\r\n\r\n");
			out.write(get);
			assertThat(readResponseHead(in)).startsWith("HTTP/1.1 200");
			// The control: a head started after that response, on another connection, gets its 408 once the deadline
			// has passed there; a deadline wrongly running on this connection since the response has passed too.
			assertThat(answerToHeadThatStops()).startsWith("HTTP/1.1 408 ");
			out.write(bytes("GET /two HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"));
			assertThat(readResponseHead(in)).startsWith("HTTP/1.1 200");
		}
	}

	/** Sends the start of a request head, never the rest, and reads what comes until the gateway closes. */
	private String answerToHeadThatStops() throws Exception {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
			socket.setSoTimeout(15000);
			socket.getOutputStream().write(bytes("GET / HTTP/1.1\r\nHost: h\r\n"));
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
		}
	}

	private static String readResponseHead(InputStream in) throws Exception {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				break;
			}
			head.append((char) b);
		}
		int length = Integer.parseInt(head.toString().replaceAll("(?si).*content-length: (\\d+).*", "$1"));
		in.readNBytes(length);
		return head.toString();
	}

}
