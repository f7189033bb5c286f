package io.portao.limits;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.portao.PortaoApplication;
import io.portao.limits.WireClient.Answer;
import io.portao.support.FakeBackend;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based fuzzing of HTTP/1.1 framing (jqwik, a bounded 300 tries): request lines, header lines and bodies
 * from a pool of valid and hostile pieces, then single bytes replaced with CR, LF, NUL, SP, HT, ':' and others.
 * The instance always answers 200, so any 5xx is the gateway's own; after every try the gateway still serves.
 */
class RequestFramingFuzzIntegrationTests {

	static FakeBackend backend;

	static ConfigurableApplicationContext gateway;

	static int port;

	@BeforeContainer
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

	@AfterContainer
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
		if (backend != null) {
			backend.close();
		}
	}

	@Property(tries = 300, seed = "20261125")
	void noFramingMakesTheGatewayFailOrStop(@ForAll("requests") byte[] request) throws Exception {
		Answer answer = WireClient.send(port, request, Duration.ofMillis(1500));
		assertThat(answer.status() / 100).as(new String(request, StandardCharsets.ISO_8859_1) + "\n---\n" + answer.raw())
			.isNotEqualTo(5);
		assertThat(new GatewayClient(port).get("/after-fuzz").statusCode()).isEqualTo(200);
	}

	@Provide
	Arbitrary<byte[]> requests() {
		Arbitrary<String> line = Arbitraries.of("GET / HTTP/1.1", "POST /p HTTP/1.1", "GET /static/a.css HTTP/1.1",
				"PUT /x?y=1 HTTP/1.0", "OPTIONS * HTTP/1.1", "GET /a/%2e%2e/b HTTP/1.1", "DELETE /d HTTP/1.1",
				"GET http://h/abs HTTP/1.1", "HEAD / HTTP/1.1", "PATCH /p HTTP/1.1");
		Arbitrary<String> header = Arbitraries.of("Host: h", "Host: h", "Content-Length: 5", "Content-Length: 0",
				"Content-Length: 3", "Content-Length: 05", "Transfer-Encoding: chunked", "Transfer-Encoding: gzip",
				"Connection: close", "Connection: keep-alive, X-A", "Expect: 100-continue", "X-A: b",
				"Content-Type: text/plain", "Accept: */*", "Cookie: a=b", "Range: bytes=0-1", "TE: trailers",
				"Keep-Alive: timeout=5", "Upgrade: h2c", "X-Forwarded-For: 1.2.3.4", "Forwarded: for=1.2.3.4",
				"Trailer: X-T", "Content-Encoding: gzip", "Authorization: Basic eDp5");
		Arbitrary<String> body = Arbitraries.of("", "hello", "5\r\nhello\r\n0\r\n\r\n", "0\r\n\r\n",
				"3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n", "5;ext=1\r\nhello\r\n0\r\n\r\n", "abc", "0\r\n\r\nGET /s HTTP/1.1\r\n\r\n");
		Arbitrary<List<Tuple.Tuple2<Integer, Character>>> mutations = Combinators
			.combine(Arbitraries.integers().between(0, 400),
					Arbitraries.of('\r', '\n', '\0', ' ', '\t', ':', ',', ';', '0', 'f', '\u007f', '\u00ff', 'x', '"'))
			.as(Tuple::of)
			.list()
			.ofMaxSize(3);
		return Combinators.combine(line, header.list().ofMaxSize(6), body, mutations)
			.as((l, h, b, m) -> mutate(l + "\r\n" + String.join("\r\n", h) + (h.isEmpty() ? "" : "\r\n") + "\r\n" + b, m));
	}

	private static byte[] mutate(String request, List<Tuple.Tuple2<Integer, Character>> mutations) {
		byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
		for (Tuple.Tuple2<Integer, Character> mutation : mutations) {
			bytes[mutation.get1() % bytes.length] = (byte) mutation.get2().charValue();
		}
		return bytes;
	}

}
