package io.portao.proxy;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
 * Requests no client should send get a 4xx from the gateway itself, never reach an instance, and leave the
 * gateway serving.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0" })
class MalformedRequestIntegrationTests {

	static final FakeBackend backend = FakeBackend.start("backend-a");

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, backend);
	}

	@LocalServerPort
	int port;

	@AfterEach
	void gatewayStillServes() {
		assertThat(new GatewayClient(this.port).get("/still-serving").statusCode()).isEqualTo(200);
		backend.clear();
	}

	@AfterAll
	static void stop() {
		backend.close();
	}

	private RawResponse send(String request) throws Exception {
		return RawHttpClient.send(this.port, request, Duration.ofSeconds(10));
	}

	@Test
	void oversizedRequestHeadersGet431() throws Exception {
		RawResponse response = send("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n");
		assertThat(response.status()).isEqualTo(431);
		assertThat(backend.requestCount()).isZero();
	}

	@Test
	void manyHeadersAddingUpPastTheLimitGet431() throws Exception {
		StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\nHost: h\r\n");
		for (int i = 0; i < 1000; i++) {
			request.append("X-H").append(i).append(": v\r\n");
		}
		assertThat(send(request.append("\r\n").toString()).status()).isEqualTo(431);
		assertThat(backend.requestCount()).isZero();
	}

	@Test
	void contentLengthWithTransferEncodingGets400AndTheConnectionIsClosed() throws Exception {
		RawResponse response = send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
				+ "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.raw()).doesNotContain("HTTP/1.1 200");
		assertThat(backend.requestCount()).isZero();
	}

	@Test
	void contentLengthWithTransferEncodingOnHttp10Gets400() throws Exception {
		RawResponse response = send("POST / HTTP/1.0\r\nHost: h\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
				+ "0\r\n\r\n");
		assertThat(response.status()).isEqualTo(400);
		assertThat(backend.requestCount()).isZero();
	}

	@Test
	void overlongRequestLineGets414() throws Exception {
		RawResponse response = send("GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: h\r\n\r\n");
		assertThat(response.status()).isEqualTo(414);
		assertThat(backend.requestCount()).isZero();
	}

}
