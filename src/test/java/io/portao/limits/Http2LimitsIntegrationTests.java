package io.portao.limits;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.netty.handler.codec.http2.Http2Error;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.TestCertificates;
import io.portao.support.TestCertificates.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nginx {@code http2_max_concurrent_streams} and the HTTP/2 Rapid Reset bound (CVE-2023-44487) over a real TLS
 * connection with ALPN {@code h2}, written frame by frame with {@link Http2WireClient}: once with small limits,
 * once with the defaults.
 */
class Http2LimitsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final FakeBackend backend = FakeBackend.start("A");

	private static final Pem pem = TestCertificates.generateInTempDirectory("portao-h2-limits");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, backend);
		registry.add("server.ssl.bundle", () -> "web");
		registry.add("spring.ssl.bundle.pem.web.keystore.certificate", () -> "file:" + pem.certificateFile());
		registry.add("spring.ssl.bundle.pem.web.keystore.private-key", () -> "file:" + pem.privateKeyFile());
	}

	@AfterAll
	static void stopBackend() {
		backend.close();
	}

	@BeforeEach
	void resetBackend() {
		backend.clear();
		backend.delay(Duration.ZERO);
	}

	/** Stream ids a client opens: 1, 3, 5, ... ({@code count} of them, starting at {@code first}). */
	static int[] streams(int first, int count) {
		return IntStream.range(0, count).map(i -> first + 2 * i).toArray();
	}

	static boolean completed(List<ReceivedFrame> frames, int stream) {
		return frames.stream().anyMatch(f -> f.streamId() == stream && f.endStream() && !"GOAWAY".equals(f.type()))
				|| frames.stream().anyMatch(f -> f.isReset(stream));
	}

	static String status(List<ReceivedFrame> frames, int stream) {
		return frames.stream()
			.filter(f -> "HEADERS".equals(f.type()) && f.streamId() == stream)
			.map(ReceivedFrame::status)
			.findFirst()
			.orElse(null);
	}

	static ReceivedFrame serverSettings(Http2WireClient client) throws InterruptedException {
		assertThat(client.await(f -> f.stream().anyMatch(s -> "SETTINGS".equals(s.type())), WAIT)).isTrue();
		return client.frames().stream().filter(f -> "SETTINGS".equals(f.type())).findFirst().orElseThrow();
	}

	static List<ReceivedFrame> goAways(Http2WireClient client) {
		return client.frames().stream().filter(f -> "GOAWAY".equals(f.type())).toList();
	}

	@Nested
	@SpringBootTest(classes = io.portao.PortaoApplication.class,
			webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "server.port=0", "management.server.port=0",
					"portao.limits.http2-max-concurrent-streams=8", "portao.limits.http2-max-reset-frames=10",
					"portao.limits.http2-reset-window=30s" })
	class SmallLimits {

		@LocalServerPort
		private int port;

		@Test
		void settingsAdvertiseTheStreamLimitAndStreamsBeyondItAreRefused() throws Exception {
			backend.delay(Duration.ofSeconds(1));
			try (Http2WireClient client = Http2WireClient.connect(this.port, pem.certificate())) {
				ReceivedFrame settings = serverSettings(client);
				assertThat(settings.settings().maxConcurrentStreams()).isEqualTo(8L);

				int[] ids = streams(1, 12);
				client.requests("/streams", ids);
				assertThat(client.await(f -> IntStream.of(ids).allMatch(id -> completed(f, id)), WAIT))
					.as(client::toString).isTrue();

				List<ReceivedFrame> frames = client.frames();
				for (int id : streams(1, 8)) {
					assertThat(status(frames, id)).as("stream %d", id).isEqualTo("200");
				}
				for (int id : streams(17, 4)) {
					assertThat(frames).as("stream %d", id)
						.anyMatch(f -> f.isReset(id) && f.errorCode() == Http2Error.REFUSED_STREAM.code());
				}
				assertThat(backend.requestCount()).isEqualTo(8);
				assertThat(goAways(client)).isEmpty();

				// A refused stream is a stream error (RFC 9113 section 5.4.2): the connection goes on serving.
				client.requests("/after", 25);
				assertThat(client.await(f -> completed(f, 25), WAIT)).isTrue();
				assertThat(status(client.frames(), 25)).isEqualTo("200");
			}
		}

		@Test
		void theResetPastTheLimitGetsGoAwayEnhanceYourCalmAndTheConnectionClosed() throws Exception {
			try (Http2WireClient client = Http2WireClient.connect(this.port, pem.certificate())) {
				serverSettings(client);
				client.rapidReset("/rapid-reset", streams(1, 10));
				client.ping(1);
				// PING is answered in order, after the ten resets before it were read.
				assertThat(client.await(f -> f.stream().anyMatch(p -> "PING_ACK".equals(p.type())), WAIT))
					.as(client::toString).isTrue();
				assertThat(goAways(client)).isEmpty();

				client.rapidReset("/rapid-reset", 21);
				assertThat(client.awaitClosed(WAIT)).as(client::toString).isTrue();
				assertEnhanceYourCalm(client);
			}
			assertStillServing();
		}

		@Test
		void aRapidResetBurstIsCutOffAfterTheLimitAndNewConnectionsAreServed() throws Exception {
			backend.delay(Duration.ofMillis(200));
			try (Http2WireClient client = Http2WireClient.connect(this.port, pem.certificate())) {
				serverSettings(client);
				client.rapidReset("/rapid-reset", streams(1, 50));

				assertThat(client.awaitClosed(WAIT)).as(client::toString).isTrue();
				assertEnhanceYourCalm(client);
				assertThat(backend.requestCount()).isLessThanOrEqualTo(11);
			}
			backend.delay(Duration.ZERO);
			assertStillServing();
		}

		// Netty answers with a graceful GOAWAY (last stream id 2^31-1, not the last stream it took), then closes.
		private void assertEnhanceYourCalm(Http2WireClient client) {
			assertThat(goAways(client)).as(client::toString).hasSize(1).first().satisfies(goAway -> {
				assertThat(goAway.errorCode()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM.code());
				assertThat(goAway.debugData()).isEqualTo("Maximum number of RST frames reached");
			});
		}

		private void assertStillServing() throws Exception {
			try (Http2WireClient fresh = Http2WireClient.connect(this.port, pem.certificate())) {
				serverSettings(fresh);
				fresh.requests("/still-up", 1);
				assertThat(fresh.await(f -> completed(f, 1), WAIT)).as(fresh::toString).isTrue();
				assertThat(status(fresh.frames(), 1)).isEqualTo("200");
			}
		}

	}

	@Nested
	@SpringBootTest(classes = io.portao.PortaoApplication.class,
			webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "server.port=0", "management.server.port=0" })
	class Defaults {

		@LocalServerPort
		private int port;

		@Test
		void advertisesTheDefaultStreamLimit() throws Exception {
			try (Http2WireClient client = Http2WireClient.connect(this.port, pem.certificate())) {
				assertThat(serverSettings(client).settings().maxConcurrentStreams()).isEqualTo(128L);
			}
		}

		@Test
		void aNormalClientWithSomeCancelsIsNotCutOff() throws Exception {
			backend.delay(Duration.ofMillis(100));
			try (Http2WireClient client = Http2WireClient.connect(this.port, pem.certificate())) {
				serverSettings(client);
				int served = 0;
				for (int id : streams(1, 20)) {
					client.requests("/normal", id);
					if (id % 10 == 9) {
						client.reset(id, Http2Error.CANCEL);
						continue;
					}
					assertThat(client.await(f -> completed(f, id), WAIT)).as("stream %d", id).isTrue();
					assertThat(status(client.frames(), id)).as("stream %d", id).isEqualTo("200");
					served++;
				}
				assertThat(served).isEqualTo(16);
				assertThat(goAways(client)).isEmpty();
				assertThat(client.isClosed()).isFalse();
			}
		}

	}


	/**
	 * {@code portao.limits.body-read-timeout} on HTTP/2 streams: a stream whose body stops arriving is ended, the
	 * connection and its other streams go on; a body arriving slowly but steadily, and an answer slower than the
	 * timeout once the body is in, are not cut.
	 */
	@Nested
	@SpringBootTest(classes = io.portao.PortaoApplication.class,
			webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "server.port=0", "management.server.port=0", "portao.limits.body-read-timeout=1s" })
	class BodyReadTimeout {

		private static final byte[] PIECE = "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

		@LocalServerPort
		private int port;

		@Test
		void aStreamWhoseBodyStopsArrivingIsEndedAtTheTimeoutAndTheConnectionGoesOn() throws Exception {
			try (Http2WireClient client = Http2WireClient.connect(this.port, pem.certificate())) {
				serverSettings(client);
				long start = System.nanoTime();
				client.post("/stalled", 1, 10);
				client.data(1, PIECE, false);
				assertThat(client.await(f -> completed(f, 1), Duration.ofSeconds(15))).as(client::toString).isTrue();
				Duration took = Duration.ofNanos(System.nanoTime() - start);
				assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(12));
				assertThat(backend.received()).noneMatch(echo -> echo.bodyBytes() == 10);

				client.requests("/after", 3);
				assertThat(client.await(f -> completed(f, 3), WAIT)).as(client::toString).isTrue();
				assertThat(status(client.frames(), 3)).isEqualTo("200");
				assertThat(client.isClosed()).isFalse();
			}
		}

		@Test
		void aBodyArrivingInPiecesWithinTheTimeoutIsServedThoughTheAnswerTakesLongerThanIt() throws Exception {
			backend.delay(Duration.ofMillis(1600));
			try (Http2WireClient client = Http2WireClient.connect(this.port, pem.certificate())) {
				serverSettings(client);
				client.post("/slow-body", 1, 3 * PIECE.length);
				for (int i = 0; i < 3; i++) {
					Thread.sleep(600);
					client.data(1, PIECE, i == 2);
				}
				assertThat(client.await(f -> completed(f, 1), Duration.ofSeconds(15))).as(client::toString).isTrue();
				assertThat(status(client.frames(), 1)).as(client::toString).isEqualTo("200");
				assertThat(backend.received()).anyMatch(echo -> echo.bodyBytes() == 9);
			}
		}

	}

}
