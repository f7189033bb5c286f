package io.portao.staticfiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.netty.http.server.HttpServerState;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.lane.LaneConfiguration;
import io.portao.support.FakeBackend;
import io.portao.support.FreePorts;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection's rules when static files and proxied requests share a keep-alive connection, over raw sockets:
 * pipelined requests are answered in order, {@code server.netty.max-keep-alive-requests} counts every request,
 * and the idle timeout closes a connection left idle after a static answer. With the lanes on, the static lane
 * answers plain files in the connection's pipeline ({@link StaticFileHandler}), beside Reactor Netty, which
 * answers the rest; with them off ({@link StaticFileConnectionLaneOffIntegrationTests}) Reactor Netty answers
 * everything. Both give the same answers.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "spring.cloud.gateway.server.webflux.routes[0].id=bapis",
				"spring.cloud.gateway.server.webflux.routes[0].uri=lb://bapis",
				"spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/**",
				"server.netty.max-keep-alive-requests=" + StaticFileConnectionIntegrationTests.MAX_REQUESTS,
				"server.netty.idle-timeout=2s" })
@Import(StaticFileConnectionIntegrationTests.RequestsSeenByReactorNetty.class)
class StaticFileConnectionIntegrationTests {

	static final int MAX_REQUESTS = 5;

	static final StaticRoot files = StaticRoot.create();

	/** Slow enough that a static answer written ahead of it would come first. */
	static final FakeBackend backend = FakeBackend.start("bapis").delay(Duration.ofMillis(300));

	static final String CSS = "body { color: red; }\n";

	@LocalServerPort
	int port;

	@Value("${" + LaneConfiguration.ENABLED + ":true}")
	boolean lanes;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.web.resources.static-locations", files::location);
		registry.add("spring.cloud.discovery.client.simple.instances.bapis[0].uri", backend::uri);
		registry.add("management.server.port", FreePorts::next);
	}

	@AfterAll
	static void stop() throws IOException {
		backend.close();
		files.close();
	}

	@Test
	void pipelinedRequestsAreAnsweredInOrderWhicheverLayerAnswersThem() throws Exception {
		try (Connection connection = new Connection(this.port)) {
			connection.send(get("/static/css/app.css") + get("/slow/1") + get("/static/app.js") + get("/static/nope.css")
					+ get("/static/css/app.css"));

			List<Response> responses = List.of(connection.read(), connection.read(), connection.read(),
					connection.read(), connection.read());

			assertThat(responses).extracting(Response::status).containsExactly(200, 200, 200, 404, 200);
			assertThat(responses.get(0).body()).isEqualTo(CSS);
			assertThat(responses.get(1).body()).contains("/slow/1");
			assertThat(responses.get(2).body()).isEqualTo("content of app.js\n");
			assertThat(responses.get(4).body()).isEqualTo(CSS);
		}
	}

	@Test
	void theKeepAliveLimitCountsStaticAnswersTooWhenAProxiedRequestIsLast() throws Exception {
		assertLastRequestClosesTheConnection("/static/css/app.css", "/static/app.js", "/proxied/1", "/static/app.js",
				"/proxied/2");
	}

	@Test
	void theKeepAliveLimitCountsProxiedAnswersTooWhenAStaticRequestIsLast() throws Exception {
		assertLastRequestClosesTheConnection("/proxied/1", "/static/app.js", "/proxied/2", "/proxied/3",
				"/static/css/app.css");
	}

	@Test
	void pipelinedRequestsBeyondTheLimitAreNotAnswered() throws Exception {
		try (Connection connection = new Connection(this.port)) {
			StringBuilder requests = new StringBuilder();
			for (int i = 0; i < MAX_REQUESTS + 2; i++) {
				requests.append(get("/static/app.js"));
			}
			connection.send(requests.toString());

			for (int i = 1; i < MAX_REQUESTS; i++) {
				assertThat(connection.read().header("connection")).isNull();
			}
			Response last = connection.read();
			assertThat(last.status()).isEqualTo(200);
			assertThat(last.header("connection")).isEqualToIgnoringCase("close");
			assertThat(connection.closed(Duration.ofSeconds(5))).isTrue();
		}
	}

	@Test
	void aConnectionLeftIdleAfterAStaticAnswerIsClosedAfterTheIdleTimeout() throws Exception {
		try (Connection connection = new Connection(this.port)) {
			connection.send(get("/static/app.js"));
			assertThat(connection.read().status()).isEqualTo(200);
			long answered = System.nanoTime();

			assertThat(connection.closed(Duration.ofSeconds(10))).as("closed by the server").isTrue();

			assertThat(Duration.ofNanos(System.nanoTime() - answered)).isBetween(Duration.ofMillis(1500),
					Duration.ofSeconds(6));
		}
	}

	@Test
	void requestsWithConnectionKeepAliveAsBrowsersSendThemAreAnsweredAsWithout() throws Exception {
		try (Connection connection = new Connection(this.port)) {
			int before = RequestsSeenByReactorNetty.COUNT.get();
			List<Response> responses = new ArrayList<>();
			for (String request : List.of(get("/static/css/app.css", "Connection: keep-alive"),
					get("/proxied/1", "Connection: keep-alive"), get("/static/app.js", "connection: Keep-Alive"))) {
				connection.send(request);
				responses.add(connection.read());
			}

			assertThat(responses).extracting(Response::status).containsExactly(200, 200, 200);
			assertThat(responses).extracting(response -> response.header("connection")).containsOnlyNulls();
			assertThat(responses.get(0).body()).isEqualTo(CSS);
			assertThat(responses.get(2).body()).isEqualTo("content of app.js\n");
			// With the lanes on, the static ones are answered in the pipeline, ahead of Reactor Netty's handler.
			assertThat(RequestsSeenByReactorNetty.COUNT.get() - before).isEqualTo(this.lanes ? 1 : 3);
			assertThat(connection.closed(Duration.ofMillis(200))).as("still open").isFalse();
		}
	}

	private void assertLastRequestClosesTheConnection(String... paths) throws IOException {
		assertThat(paths).hasSize(MAX_REQUESTS);
		try (Connection connection = new Connection(this.port)) {
			for (int i = 0; i < paths.length; i++) {
				connection.send(get(paths[i]));
				Response response = connection.read();
				assertThat(response.status()).as(paths[i]).isEqualTo(200);
				if (i < paths.length - 1) {
					assertThat(response.header("connection")).as(paths[i]).isNull();
				}
				else {
					assertThat(response.header("connection")).as(paths[i]).isEqualToIgnoringCase("close");
				}
			}
			assertThat(connection.closed(Duration.ofSeconds(5))).isTrue();
		}
	}

	private static String get(String path, String... headers) {
		StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
		for (String header : headers) {
			request.append(header).append("\r\n");
		}
		return request.append("\r\n").toString();
	}

	/** Counts the requests that reach Reactor Netty's HTTP handler (not those a pipeline lane answered). */
	@TestConfiguration(proxyBeanMethods = false)
	static class RequestsSeenByReactorNetty {

		static final AtomicInteger COUNT = new AtomicInteger();

		@Bean
		NettyServerCustomizer countRequestsReceived() {
			return server -> server.childObserve((connection, state) -> {
				if (state == HttpServerState.REQUEST_RECEIVED) {
					COUNT.incrementAndGet();
				}
			});
		}

	}

	record Response(int status, Map<String, String> headers, String body) {

		String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

	}

	/** One keep-alive connection, responses read one at a time by their {@code Content-Length}. */
	static final class Connection implements AutoCloseable {

		private final Socket socket = new Socket();

		private final InputStream in;

		Connection(int port) throws IOException {
			this.socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			this.socket.setSoTimeout(10_000);
			this.in = this.socket.getInputStream();
		}

		void send(String requests) throws IOException {
			this.socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
			this.socket.getOutputStream().flush();
		}

		Response read() throws IOException {
			String statusLine = line();
			Map<String, String> headers = new LinkedHashMap<>();
			for (String line = line(); !line.isEmpty(); line = line()) {
				int colon = line.indexOf(':');
				headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
			}
			int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
			byte[] body = this.in.readNBytes(length);
			assertThat(body).as("body of " + statusLine).hasSize(length);
			return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers,
					new String(body, StandardCharsets.UTF_8));
		}

		/** Whether the server closed the connection within {@code timeout} (nothing more to read). */
		boolean closed(Duration timeout) throws IOException {
			this.socket.setSoTimeout((int) timeout.toMillis());
			try {
				List<Integer> extra = new ArrayList<>();
				for (int b = this.in.read(); b >= 0; b = this.in.read()) {
					extra.add(b);
				}
				assertThat(extra).as("bytes after the last answer").isEmpty();
				return true;
			}
			catch (SocketTimeoutException ex) {
				return false;
			}
			catch (IOException reset) {
				return true;
			}
		}

		private String line() throws IOException {
			ByteArrayOutputStream line = new ByteArrayOutputStream();
			for (int b = this.in.read(); b != '\n'; b = this.in.read()) {
				if (b < 0) {
					throw new IOException("closed before a whole line: " + line);
				}
				if (b != '\r') {
					line.write(b);
				}
			}
			return line.toString(StandardCharsets.ISO_8859_1);
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
