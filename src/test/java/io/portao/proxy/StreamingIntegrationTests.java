package io.portao.proxy;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.GatewayClient;
import io.portao.support.RawHttpClient;
import io.portao.support.RawHttpClient.RawResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies stream through in both directions, never buffered whole: each test only completes if the far side saw
 * the first megabyte before the near side sent the rest, which a buffering proxy would deadlock on. An instance
 * that dies mid-body leaves the client with a visibly truncated response, never a clean one.
 */
// The 11 MiB upload is above the default body cap (portao.limits.max-body-size, 1MB like nginx): raised here.
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0", "portao.limits.max-body-size=16MB" })
class StreamingIntegrationTests {

	static final int MIB = 1024 * 1024;

	static final FakeBackend backend = FakeBackend.start("backend-a");

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, backend);
	}

	@LocalServerPort
	int port;

	@AfterEach
	void reset() {
		backend.handler(null).mode(FakeBackend.Mode.ECHO);
	}

	@AfterAll
	static void stop() {
		backend.close();
	}

	@Test
	void requestBodyOfElevenMebibytesStreamsToTheInstance() throws Exception {
		CompletableFuture<Void> firstMegabyteArrived = new CompletableFuture<>();
		AtomicLong received = new AtomicLong();
		MessageDigest backendDigest = MessageDigest.getInstance("SHA-256");
		backend.handler((request, response) -> request.receive().doOnNext(buf -> {
			byte[] bytes = new byte[buf.readableBytes()];
			buf.readBytes(bytes);
			backendDigest.update(bytes);
			if (received.addAndGet(bytes.length) >= MIB) {
				firstMegabyteArrived.complete(null);
			}
		}).then(response.sendString(Mono.fromSupplier(() -> String.valueOf(received.get()))).then()));

		MessageDigest clientDigest = MessageDigest.getInstance("SHA-256");
		Flux<ByteBuf> body = Flux.concat(chunks(1, clientDigest),
				Mono.fromFuture(firstMegabyteArrived).thenMany(chunks(10, clientDigest)));
		String answer = HttpClient.create()
			.post()
			.uri("http://127.0.0.1:" + this.port + "/upload")
			.send(body)
			.responseSingle((response, content) -> content.asString())
			.block(Duration.ofSeconds(60));
		assertThat(answer).isEqualTo(String.valueOf(11L * MIB));
		assertThat(backendDigest.digest()).isEqualTo(clientDigest.digest());
	}

	@Test
	void responseBodyOfElevenMebibytesStreamsToTheClient() {
		CompletableFuture<Void> clientSawFirstBytes = new CompletableFuture<>();
		backend.handler((request, response) -> response.send(
				Flux.concat(chunks(1, null), Mono.fromFuture(clientSawFirstBytes).thenMany(chunks(10, null)))));
		AtomicLong received = new AtomicLong();
		Long total = HttpClient.create()
			.get()
			.uri("http://127.0.0.1:" + this.port + "/download")
			.responseContent()
			.doOnNext(buf -> {
				received.addAndGet(buf.readableBytes());
				clientSawFirstBytes.complete(null);
			})
			.then(Mono.fromSupplier(received::get))
			.block(Duration.ofSeconds(60));
		assertThat(total).isEqualTo(11L * MIB);
	}

	@Test
	void instanceDyingMidBodyWithContentLengthGivesATruncatedResponseAndTheGatewayGoesOn() throws Exception {
		backend.mode(FakeBackend.Mode.DIE_MID_BODY);
		RawResponse response = RawHttpClient.send(this.port, "GET /dies HTTP/1.1\r\nHost: h\r\n\r\n",
				Duration.ofSeconds(10));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("content-length")).isEqualTo("100000");
		assertThat(response.body().length()).isLessThan(100000);
		backend.mode(FakeBackend.Mode.ECHO);
		assertThat(new GatewayClient(this.port).get("/after").statusCode()).isEqualTo(200);
	}

	@Test
	void instanceDyingMidChunkedBodyNeverGetsALastChunk() throws Exception {
		backend.handler((request, response) -> response.sendString(Flux.concat(Mono.just("x".repeat(1000)),
				Mono.delay(Duration.ofMillis(200))
					.doOnNext(tick -> request.withConnection(connection -> connection.channel().close()))
					.then(Mono.never()))));
		RawResponse direct = RawHttpClient.send(backend.port(), "GET /dies-chunked HTTP/1.1\r\nHost: h\r\n\r\n",
				Duration.ofSeconds(10));
		assertThat(direct.body()).as("the backend itself").doesNotEndWith("0\r\n\r\n");
		RawResponse response = RawHttpClient.send(this.port, "GET /dies-chunked HTTP/1.1\r\nHost: h\r\n\r\n",
				Duration.ofSeconds(10));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
		assertThat(response.body()).contains("x".repeat(100)).doesNotEndWith("0\r\n\r\n");
	}

	private static Flux<ByteBuf> chunks(int mebibytes, MessageDigest digest) {
		return Flux.range(0, mebibytes * 16).map(i -> {
			byte[] bytes = new byte[64 * 1024];
			java.util.Arrays.fill(bytes, (byte) ('a' + (i % 26)));
			if (digest != null) {
				digest.update(bytes);
			}
			return Unpooled.wrappedBuffer(bytes);
		});
	}

}
