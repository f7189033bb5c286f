package io.portao.limits;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.limits.HostileRequests.After;
import io.portao.limits.WireClient.Answer;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request of {@link HostileRequests} gets its status from the gateway itself, the connection is closed
 * after it (nothing left on it to be read as a next request), the instance receives nothing, and the gateway
 * serves the next good request.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0" })
class HostileRequestIntegrationTests {

	static final FakeBackend backend = FakeBackend.start("backend-a");

	/** A well-formed chunked request, sent like the cut ones of {@link HostileRequests#chunking()}. */
	static final String CONTROL = "POST /control HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
			+ "5\r\nhello\r\n0\r\n\r\n";

	/** How long a complete request may take to reach the instance, the control's bound (it takes milliseconds). */
	static final Duration CONTROL_WAIT = Duration.ofSeconds(5);

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, backend);
	}

	@LocalServerPort
	int port;

	@BeforeEach
	void clear() {
		backend.clear();
	}

	@AfterEach
	void gatewayStillServes() {
		assertThat(new GatewayClient(this.port).get("/still-serving").statusCode()).isEqualTo(200);
		assertThat(backend.received()).extracting(FakeBackend.Echo::uri).contains("/still-serving");
	}

	@AfterAll
	static void stop() {
		backend.close();
	}

	@ParameterizedTest(name = "[{index}] {0} -> {1}")
	@MethodSource("io.portao.limits.HostileRequests#all")
	void isRefusedAndNeverReachesTheInstance(String name, int status, After after, byte[] request) throws Exception {
		Answer answer = WireClient.send(this.port, request, Duration.ofSeconds(after == After.ANSWERED ? 2 : 5));

		assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
		assertThat(answer.responses()).as("one answer, no smuggled one: " + answer.raw()).isEqualTo(1);
		if (after != After.ANSWERED) {
			assertThat(answer.closed()).as("connection closed").isTrue();
		}
		if (after == After.CLOSED_AFTER_HEAD) {
			assertOnlyAControlArrivesComplete();
		}
		else {
			assertThat(backend.heads()).as("request heads reaching the instance").isZero();
		}
	}

	/**
	 * A cut request would reach the instance asynchronously, were it forwarded whole. Rather than sleep and see
	 * nothing, a positive control: a well-formed chunked POST, sent the same way right after it (raw bytes on a new
	 * connection, its answer not awaited), must reach the instance complete within {@link #CONTROL_WAIT}, and by
	 * then nothing else may have.
	 */
	private void assertOnlyAControlArrivesComplete() throws Exception {
		try (Socket control = new Socket("127.0.0.1", this.port)) {
			control.getOutputStream().write(CONTROL.getBytes(StandardCharsets.ISO_8859_1));
			long deadline = System.nanoTime() + CONTROL_WAIT.toNanos();
			while (backend.received().isEmpty() && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
		}
		assertThat(backend.received()).as("complete requests reaching the instance")
			.extracting(FakeBackend.Echo::uri)
			.containsExactly("/control");
	}

}
