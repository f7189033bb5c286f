package io.portao.limits;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.portao.PortaoApplication;
import io.portao.limits.WireClient.Answer;
import io.portao.support.FakeBackend;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing of HTTP/1.1 framing with a seeded generator (300 requests, the same ones every run, so a failure is
 * reproducible from its index): request lines, header lines and bodies from a pool of valid and hostile pieces,
 * then single bytes replaced with CR, LF, NUL, SP, HT, ':' and others. The instance always answers 200, so any 5xx
 * is the gateway's own; after every request the gateway still serves. A plain JUnit generator rather than a
 * property-testing library: jqwik's authors ask that AI agents not use it, and shrinking is not needed to read a
 * failing request, which the assertion prints whole.
 */
class RequestFramingFuzzIntegrationTests {

	static FakeBackend backend;

	static ConfigurableApplicationContext gateway;

	static int port;

	@BeforeAll
	static void start() {
		backend = FakeBackend.start("fuzz");
		gateway = new SpringApplicationBuilder(PortaoApplication.class).properties(Map.of("server.port", "0",
				"management.server.port", "0", "portao.limits.header-timeout", "2s",
				"portao.limits.body-read-timeout", "2s",
				"spring.cloud.discovery.client.simple.instances.bapis[0].uri", backend.uri(),
				"spring.cloud.gateway.server.webflux.routes[0].id", "bapis",
				"spring.cloud.gateway.server.webflux.routes[0].uri", "lb://bapis",
				"spring.cloud.gateway.server.webflux.routes[0].predicates[0]", "Path=/**"))
			.run();
		port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
		if (backend != null) {
			backend.close();
		}
	}

	static final int TRIES = 300;

	static final long SEED = 20261125L;

	static final String[] LINES = { "GET / HTTP/1.1", "POST /p HTTP/1.1", "GET /static/a.css HTTP/1.1",
			"PUT /x?y=1 HTTP/1.0", "OPTIONS * HTTP/1.1", "GET /a/%2e%2e/b HTTP/1.1", "DELETE /d HTTP/1.1",
			"GET http://h/abs HTTP/1.1", "HEAD / HTTP/1.1", "PATCH /p HTTP/1.1" };

	static final String[] HEADERS = { "Host: h", "Host: h", "Content-Length: 5", "Content-Length: 0",
			"Content-Length: 3", "Content-Length: 05", "Transfer-Encoding: chunked", "Transfer-Encoding: gzip",
			"Connection: close", "Connection: keep-alive, X-A", "Expect: 100-continue", "X-A: b",
			"Content-Type: text/plain", "Accept: */*", "Cookie: a=b", "Range: bytes=0-1", "TE: trailers",
			"Keep-Alive: timeout=5", "Upgrade: h2c", "X-Forwarded-For: 1.2.3.4", "Forwarded: for=1.2.3.4",
			"Trailer: X-T", "Content-Encoding: gzip", "Authorization: Basic eDp5" };

	static final String[] BODIES = { "", "hello", "5\r\nhello\r\n0\r\n\r\n", "0\r\n\r\n",
			"3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n", "5;ext=1\r\nhello\r\n0\r\n\r\n", "abc",
			"0\r\n\r\nGET /s HTTP/1.1\r\n\r\n" };

	static final char[] MUTATIONS = { '\r', '\n', '\0', ' ', '\t', ':', ',', ';', '0', 'f', '\u007f', '\u00ff', 'x',
			'"' };

	@ParameterizedTest(name = "[{index}]")
	@MethodSource("requests")
	void noFramingMakesTheGatewayFailOrStop(byte[] request) throws Exception {
		Answer answer = WireClient.send(port, request, Duration.ofMillis(1500));
		assertThat(answer.status() / 100).as(new String(request, StandardCharsets.ISO_8859_1) + "\n---\n" + answer.raw())
			.isNotEqualTo(5);
		assertThat(new GatewayClient(port).get("/after-fuzz").statusCode()).isEqualTo(200);
	}

	static Stream<byte[]> requests() {
		Random random = new Random(SEED);
		return IntStream.range(0, TRIES).mapToObj(i -> request(random));
	}

	private static byte[] request(Random random) {
		StringBuilder request = new StringBuilder(pick(random, LINES)).append("\r\n");
		int headers = random.nextInt(7);
		for (int i = 0; i < headers; i++) {
			request.append(pick(random, HEADERS)).append("\r\n");
		}
		request.append("\r\n").append(pick(random, BODIES));
		byte[] bytes = request.toString().getBytes(StandardCharsets.ISO_8859_1);
		int mutations = random.nextInt(4);
		for (int i = 0; i < mutations; i++) {
			bytes[random.nextInt(401) % bytes.length] = (byte) MUTATIONS[random.nextInt(MUTATIONS.length)];
		}
		return bytes;
	}

	private static String pick(Random random, String[] pool) {
		return pool[random.nextInt(pool.length)];
	}

}
