package io.portao.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.portao.PortaoApplication;
import io.portao.lane.LaneConfiguration;
import io.portao.support.BlockHoundExtension;
import io.portao.support.FreePorts;
import io.portao.support.AccessLogTail;
import io.portao.support.RawHttpClient;
import io.portao.support.RawHttpClient.RawResponse;
import io.portao.support.RecordingBackend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The same requests to two gateways in one JVM with the same routes and instances, one with the lanes on and
 * one with them off. For each request the instance must have received the same request head (request line and
 * header lines, in order, byte for byte), the client the same status, header lines (all but {@code Date}, in
 * order) and body, and the access log the same line (all but its times). At the end both gateways must show the
 * same Prometheus series (names, tags and counts) for {@code http.server.requests},
 * {@code spring.cloud.gateway.requests} and the per-instance meters. Each case also says whether the lane served
 * it. BlockHound is on.
 *
 * <p>Routes: {@code /failover/**} to an upstream of a dead port and the recording backend (never ejected, so both
 * gateways pick in the same order), {@code /dead/**} to a dead port only, {@code /hang/**} to the backend with a
 * 1 s response timeout, {@code /**} to the backend.
 */
class ProxyLaneParityIntegrationTests {

	static RecordingBackend backend;

	static int deadPort;

	static Gateway laneOn;

	static Gateway laneOff;

	@BeforeAll
	static void start() throws IOException {
		assertThat(BlockHoundExtension.isInstalled()).as("BlockHound installed").isTrue();
		backend = RecordingBackend.start(ProxyLaneParityIntegrationTests::answer, Duration.ofSeconds(3));
		deadPort = FreePorts.next();
		laneOn = Gateway.start(true);
		laneOff = Gateway.start(false);
	}

	@AfterAll
	static void stop() throws IOException {
		if (laneOn != null) {
			laneOn.close();
		}
		if (laneOff != null) {
			laneOff.close();
		}
		if (backend != null) {
			backend.close();
		}
	}

	/** The backend's answer for a request target. */
	static String answer(String target) {
		String path = target.replaceFirst("^/failover", "");
		if (path.startsWith("/status/")) {
			int status = Integer.parseInt(path.substring(8, 11));
			return "HTTP/1.1 " + status + " Whatever\r\nServer: backend\r\nContent-Length: 2\r\n\r\nno";
		}
		return switch (path) {
			case "/cookies" -> "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nServer: backend\r\nSet-Cookie: b=2\r\n"
					+ "Content-Type: text/plain\r\nSet-Cookie: c=3\r\nContent-Length: 3\r\n\r\nabc";
			case "/repeated" -> "HTTP/1.1 200 OK\r\nX-Multi: a\r\nServer: backend\r\nx-multi: b\r\n"
					+ "Content-Type: text/plain\r\nX-MULTI: c\r\nContent-Length: 3\r\n\r\nabc";
			case "/hop" -> "HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Private\r\nKeep-Alive: timeout=5\r\n"
					+ "X-Private: secret\r\nTrailer: X-T\r\nProxy-Authenticate: Basic\r\nContent-Length: 2\r\n\r\nok";
			case "/chunked" -> "HTTP/1.1 200 OK\r\nServer: backend\r\nTransfer-Encoding: chunked\r\n\r\n"
					+ "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
			case "/redirect" -> "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/elsewhere\r\nContent-Length: 0\r\n\r\n";
			case "/empty" -> "HTTP/1.1 204 No Content\r\nServer: backend\r\n\r\n";
			case "/sse" -> "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 12\r\n\r\ndata: one\n\n\n";
			case "/big" -> "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 300000\r\n\r\n"
					+ "x".repeat(300000);
			default -> "HTTP/1.1 200 OK\r\nServer: backend\r\nContent-Type: text/plain; charset=utf-8\r\n"
					+ "Content-Length: 5\r\n\r\nhello";
		};
	}

	static Stream<Arguments> requests() {
		return Stream.of(arguments("plain GET", get("/", ""), 200, true),
				arguments("query and odd target", get("/a//b?x=1&&y=%2F&", ""), 200, true),
				arguments("empty query", get("/p?", ""), 200, true),
				arguments("encoded slash", get("/a%2Fb", ""), 200, true),
				arguments("repeated headers, mixed case", get("/r", "X-A: 1\r\nX-B: 2\r\nx-a: 3\r\nAccept: */*\r\n"), 200, true),
				arguments("hop-by-hop and Connection tokens",
						get("/h", "Connection: keep-alive, X-Drop\r\nKeep-Alive: 5\r\nX-Drop: 1\r\nTE: trailers\r\n"
								+ "Proxy-Authorization: Basic eA==\r\nX-Keep: 1\r\n"), 200, true),
				arguments("client X-Forwarded-* and Forwarded", get("/f",
						"X-Forwarded-For: 203.0.113.9\r\nForwarded: for=1.2.3.4\r\nX-Forwarded-Proto: https\r\n"), 200, true),
				arguments("no User-Agent, no Accept", "GET /n HTTP/1.1\r\nHost: example.test:8080\r\nConnection: close\r\n\r\n", 200, true),
				arguments("logged headers", get("/l", "Referer: http://example.test/p\r\nUser-Agent: probe \"1\"\r\n"), 200, true),
				arguments("client X-Real-IP", get("/x", "X-Real-IP: 10.0.0.1\r\nX-Scheme: https\r\n"), 200, false),
				arguments("HTTP/1.0", "GET /old HTTP/1.0\r\nHost: localhost\r\n\r\n", 200, true),
				arguments("GET with Content-Length: 0", get("/cl", "Content-Length: 0\r\n"), 200, true),
				arguments("GET with Content-Length: 2", "GET /cl2 HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n"
						+ "Connection: close\r\n\r\nhi", 200, false),
				arguments("HEAD", "HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 200, false),
				arguments("POST", "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi", 200, false),
				arguments("static directory", get("/static/nothing.css", ""), 404, false),
				arguments("dot segment: 400", get("/a/../b", ""), 400, false),
				arguments("response cookies, repeated", get("/cookies", ""), 200, true),
				arguments("response headers repeated, mixed case", get("/repeated", ""), 200, true),
				arguments("response hop-by-hop", get("/hop", ""), 200, true),
				arguments("chunked response", get("/chunked", ""), 200, true),
				arguments("redirect, Location untouched", get("/redirect", ""), 302, true),
				arguments("204", get("/empty", ""), 204, true), arguments("event stream", get("/sse", ""), 200, true),
				arguments("300 kB body", get("/big", ""), 200, true),
				arguments("404 from the instance", get("/status/404", ""), 404, true),
				arguments("500 from the instance", get("/status/500", ""), 500, true),
				arguments("failover after a refused connection", get("/failover/one", ""), 200, true),
				arguments("failover, second request", get("/failover/two", ""), 200, true),
				arguments("failover, 503 answers", get("/failover/status/503", ""), 503, true),
				arguments("failover, 503 again", get("/failover/status/503", ""), 502, true),
				arguments("no instance answers: 502", get("/dead/x", ""), 502, true),
				arguments("response timeout: 504", get("/hang/x", ""), 504, true));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("requests")
	void theLaneProxiesAsTheGatewayPath(String name, String request, int status, boolean byTheLane) throws IOException {
		long before = laneOn.served();
		int received = backend.received().size();
		Sent on = laneOn.send(request);
		assertThat(laneOn.served()).as("served by the lane").isEqualTo(byTheLane ? before + 1 : before);
		List<String> onReceived = backend.received().subList(received, backend.received().size());
		received = backend.received().size();
		Sent off = laneOff.send(request);
		List<String> offReceived = backend.received().subList(received, backend.received().size());

		assertThat(onReceived).as("what the instance received").isEqualTo(offReceived);
		assertThat(off.response.status()).as("status on the gateway path").isEqualTo(status);
		assertThat(on.response.status()).isEqualTo(off.response.status());
		assertThat(headerLines(on.response)).containsExactlyElementsOf(headerLines(off.response));
		assertThat(withoutIdAndTime(on.response.body())).isEqualTo(withoutIdAndTime(off.response.body()));
		assertThat(on.logLine).isEqualTo(off.logLine);
	}

	@Test
	void bothGatewaysShowTheSameSeries() {
		// Run last or not: both gateways have seen the same requests whenever this runs.
		assertThat(laneOn.series()).isEqualTo(laneOff.series());
	}

	/** A Spring error body's {@code timestamp} and {@code requestId} differ between any two answers. */
	private static String withoutIdAndTime(String body) {
		return body.replaceFirst("\"timestamp\":\"[^\"]*\"", "\"timestamp\":\"-\"")
			.replaceFirst("\"requestId\":\"[^\"]*\"", "\"requestId\":\"-\"");
	}

	private static String get(String target, String headers) {
		return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n";
	}

	/** The header lines of the response, without {@code Date}. */
	static List<String> headerLines(RawResponse response) {
		String raw = response.raw();
		int end = raw.indexOf("\r\n\r\n");
		String head = raw.substring(0, (end < 0) ? raw.length() : end);
		return Stream.of(head.split("\r\n")).filter(line -> !line.regionMatches(true, 0, "date:", 0, 5)).toList();
	}

	record Sent(RawResponse response, String logLine) {
	}

	record Gateway(ConfigurableApplicationContext context, int port, int managementPort, Path log)
			implements AutoCloseable {

		static Gateway start(boolean lanes) throws IOException {
			Path log = Files.createTempFile("portao-proxy-parity-" + lanes, ".log");
			String dead = "http://127.0.0.1:" + deadPort;
			ConfigurableApplicationContext context = new SpringApplicationBuilder(PortaoApplication.class).run(
					"--server.port=0", "--management.server.port=0", "--portao.access-log.path=" + log,
					"--portao.access-log.flush=100ms", "--" + LaneConfiguration.ENABLED + "=" + lanes,
					"--spring.cloud.discovery.client.simple.instances.bapis[0].uri=" + backend.uri(),
					"--spring.cloud.discovery.client.simple.instances.pair[0].uri=" + dead,
					"--spring.cloud.discovery.client.simple.instances.pair[1].uri=" + backend.uri(),
					"--spring.cloud.discovery.client.simple.instances.none[0].uri=" + dead,
					"--spring.cloud.discovery.client.simple.instances.slow[0].uri=" + backend.uri(),
					"--portao.upstreams.pair.max-fails=0", "--portao.upstreams.pair.next-upstream=error,timeout,http_503",
					"--portao.upstreams.slow.response-timeout=1s", "--portao.upstreams.none.max-fails=0",
					"--spring.cloud.gateway.server.webflux.routes[0].id=failover",
					"--spring.cloud.gateway.server.webflux.routes[0].uri=lb://pair",
					"--spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/failover/**",
					"--spring.cloud.gateway.server.webflux.routes[1].id=dead",
					"--spring.cloud.gateway.server.webflux.routes[1].uri=lb://none",
					"--spring.cloud.gateway.server.webflux.routes[1].predicates[0]=Path=/dead/**",
					"--spring.cloud.gateway.server.webflux.routes[2].id=hang",
					"--spring.cloud.gateway.server.webflux.routes[2].uri=lb://slow",
					"--spring.cloud.gateway.server.webflux.routes[2].predicates[0]=Path=/hang/**",
					"--spring.cloud.gateway.server.webflux.routes[3].id=bapis",
					"--spring.cloud.gateway.server.webflux.routes[3].uri=lb://bapis",
					"--spring.cloud.gateway.server.webflux.routes[3].predicates[0]=Path=/**");
			WebServerApplicationContext web = (WebServerApplicationContext) context;
			int management = Integer.parseInt(context.getEnvironment().getProperty("local.management.port"));
			return new Gateway(context, web.getWebServer().getPort(), management, log);
		}

		/** Requests the proxy lane served so far (none with the lanes off). */
		long served() {
			ProxyLane lane = this.context.getBeanProvider(ProxyLane.class).getIfAvailable();
			return (lane != null) ? lane.served() : 0;
		}

		Sent send(String request) throws IOException {
			AccessLogTail.Logged logged = new AccessLogTail(this.log).send(this.port, request);
			return new Sent(logged.response(), masked(logged.line()));
		}

		private static String masked(String line) {
			return line.replaceFirst("\\[[^\\]]+\\]", "[time]").replaceAll("\\b\\d+\\.\\d{3}\\b", "T");
		}

		/** The series of the request and instance meters, with their counts (times differ). */
		Map<String, String> series() {
			try {
				HttpClient client = HttpClient.newHttpClient();
				String scrape = client.send(HttpRequest.newBuilder(
						URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/prometheus")).build(),
						HttpResponse.BodyHandlers.ofString()).body();
				Map<String, String> series = new TreeMap<>();
				for (String line : scrape.split("\n")) {
					if (line.startsWith("http_server_requests_seconds_count")
							|| line.startsWith("spring_cloud_gateway_requests_seconds_count")
							|| line.startsWith("portao_upstream_requests") || line.startsWith("portao_upstream_failures")) {
						int space = line.lastIndexOf(' ');
						series.put(line.substring(0, space), line.substring(space + 1));
					}
				}
				return series;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public void close() {
			this.context.close();
		}

	}

}
