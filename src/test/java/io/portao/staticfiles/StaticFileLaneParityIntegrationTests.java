package io.portao.staticfiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

import io.portao.PortaoApplication;
import io.portao.lane.LaneConfiguration;
import io.portao.support.BlockHoundExtension;
import io.portao.support.AccessLogTail;
import io.portao.support.RawHttpClient;
import io.portao.support.RawHttpClient.RawResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The same requests to two gateways serving one static root, one with the lanes on and one with them off: each
 * answer must have the same status, header fields (all but {@code Date}, in the same order), body and access-log
 * line (all but its two times). The lane-on gateway counts the requests that reach its web stack, so each case
 * also says whether the lane answered it. Both compress when asked ({@code server.compression.enabled}), so that
 * case is compared too. BlockHound is on, so a blocking call in the lane fails the comparison.
 */
class StaticFileLaneParityIntegrationTests {

	static final StaticRoot files = StaticRoot.create();

	static final AtomicInteger throughWebStack = WebStackStaticRequests.COUNT;

	static Gateway laneOn;

	static Gateway laneOff;

	@BeforeAll
	static void start() throws IOException {
		assertThat(BlockHoundExtension.isInstalled()).as("BlockHound installed").isTrue();
		Files.writeString(files.root.resolve("empty.txt"), "");
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
		files.close();
	}

	static Stream<Arguments> requests() throws IOException {
		String etag = etag("css/app.css");
		return Stream.of(arguments("plain GET", get("/static/css/app.css", ""), true),
				arguments("20 MiB file", get("/static/big.bin", ""), true),
				arguments("empty file", get("/static/empty.txt", ""), true),
				arguments("empty file, If-Modified-Since", get("/static/empty.txt",
						"If-Modified-Since: Thu, 01 Jan 2015 00:00:00 GMT\r\n"), false),
				arguments("link inside the root", get("/static/alias.css", ""), true),
				arguments("logged headers", get("/static/app.js", "Authorization: Basic YWxpY2U6c2VjcmV0\r\n"
						+ "Referer: http://example.test/p\r\nUser-Agent: probe \"1\"\r\nX-Forwarded-For: 203.0.113.7\r\n"), true),
				arguments("gzip: compressed in chunks", get("/static/css/app.css", "Accept-Encoding: gzip\r\n"), true),
				arguments("HTTP/1.0", "GET /static/app.js HTTP/1.0\r\nHost: localhost\r\n\r\n", true),
				arguments("If-None-Match: 304", get("/static/css/app.css", "If-None-Match: " + etag + "\r\n"), false),
				arguments("If-Modified-Since, older", get("/static/css/app.css",
						"If-Modified-Since: Thu, 01 Jan 2015 00:00:00 GMT\r\n"), false),
				arguments("HEAD", "HEAD /static/css/app.css HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
						false),
				arguments("missing file", get("/static/nope.css", ""), false),
				arguments("query", get("/static/css/app.css?v=1", ""), false),
				arguments("Range", get("/static/css/app.css", "Range: bytes=0-3\r\n"), false),
				arguments("directory", get("/static/css", ""), false),
				arguments("directory with slash", get("/static/css/", ""), false),
				arguments("encoded name", get("/static/css/app%2Ecss", ""), false),
				arguments("link out of the root", get("/static/escape.txt", ""), false),
				arguments("dotfile", get("/static/.env", ""), false),
				arguments("POST", "POST /static/app.js HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n"
						+ "Connection: close\r\n\r\n", false));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("requests")
	void theLaneAnswersAndLogsAsTheFullSpringPath(String name, String request, boolean byTheLane) throws IOException {
		int before = throughWebStack.get();
		Sent on = laneOn.send(request);
		assertThat(throughWebStack.get()).as("reached the web stack").isEqualTo(byTheLane ? before : before + 1);
		Sent off = laneOff.send(request);

		assertThat(on.response.status()).isEqualTo(off.response.status());
		assertThat(FastPathParity.headerLines(on.response)).containsExactlyElementsOf(
				FastPathParity.headerLines(off.response));
		assertThat(withoutIdAndTime(on.response.body())).isEqualTo(withoutIdAndTime(off.response.body()));
		assertThat(on.logLine).isEqualTo(off.logLine);
	}

	@Test
	void theLaneCompressesWhenAskedAsReactorNettyDoesForTheWebStack() throws IOException {
		int before = throughWebStack.get();

		RawResponse response = laneOn.send(get("/static/app.js", "Accept-Encoding: gzip\r\n")).response();

		assertThat(throughWebStack.get()).isEqualTo(before);
		assertThat(response.header("Content-Encoding")).isEqualTo("gzip");
		assertThat(response.header("Transfer-Encoding")).isEqualTo("chunked");
	}

	@ParameterizedTest(name = "lanes on: {0}")
	@ValueSource(booleans = { true, false })
	void anEmptyFileLeavesTheConnectionUsable(boolean lanes) throws IOException {
		String twoRequests = "GET /static/empty.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"
				+ get("/static/css/app.css", "");

		RawResponse response = RawHttpClient.send((lanes ? laneOn : laneOff).port(), twoRequests, Duration.ofSeconds(10));

		assertThat(response.raw().split("HTTP/1.1 200 OK\r\n", -1)).hasSize(3);
		assertThat(response.raw()).endsWith("body { color: red; }\n");
	}

	/** An error body's {@code timestamp} and {@code requestId} differ between any two answers. */
	private static String withoutIdAndTime(String body) {
		return body.replaceFirst("\"timestamp\":\"[^\"]*\"", "\"timestamp\":\"-\"")
			.replaceFirst("\"requestId\":\"[^\"]*\"", "\"requestId\":\"-\"");
	}

	private static String get(String target, String headers) {
		return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n";
	}

	private static String etag(String file) throws IOException {
		Path path = files.root.resolve(file);
		return NginxEtag.format(Files.getLastModifiedTime(path).toMillis(), Files.size(path));
	}

	/** An answer and its access-log line, with {@code $time_local} and {@code $request_time} masked. */
	record Sent(RawResponse response, String logLine) {
	}

	/** One gateway in this JVM, with its own access log. */
	record Gateway(ConfigurableApplicationContext context, int port, Path log) implements AutoCloseable {

		static Gateway start(boolean lanes) throws IOException {
			Path log = Files.createTempFile("portao-parity-" + lanes, ".log");
			SpringApplicationBuilder builder = lanes ? new SpringApplicationBuilder(PortaoApplication.class, WebStackStaticRequests.class)
					: new SpringApplicationBuilder(PortaoApplication.class);
			ConfigurableApplicationContext context = builder
				.initializers(app -> app.getBeanFactory().registerSingleton("noTestClasses", new NoTestClasses()))
				// Arguments, not default properties: those would lose to application.yml (server.port: 8888).
				.run("--server.port=0", "--management.server.port=0",
						"--spring.web.resources.static-locations=" + files.location(), "--portao.access-log.path=" + log,
						"--portao.access-log.flush=100ms", "--" + LaneConfiguration.ENABLED + "=" + lanes,
						// Reactor Netty compresses when asked (Accept-Encoding); a file then goes in chunks, not by region.
						"--server.compression.enabled=true", "--server.compression.min-response-size=0");
			return new Gateway(context, ((WebServerApplicationContext) context).getWebServer().getPort(), log);
		}

		Sent send(String request) throws IOException {
			AccessLogTail.Logged logged = new AccessLogTail(this.log).send(this.port, request);
			return new Sent(logged.response(), masked(logged.line()));
		}

		private static String masked(String line) {
			return line.replaceFirst("\\[[^\\]]+\\]", "[time]").replaceFirst(" \\d+\\.\\d{3}$", " request-time");
		}

		@Override
		public void close() throws IOException {
			this.context.close();
			Files.deleteIfExists(this.log);
		}

	}

	/**
	 * As {@code @SpringBootTest}'s own filter: the configurations nested in test classes (a counting web filter of
	 * another test) are not scanned into these gateways.
	 */
	static final class NoTestClasses extends TypeExcludeFilter {

		@Override
		public boolean match(MetadataReader reader, MetadataReaderFactory factory) {
			String name = reader.getClassMetadata().getClassName();
			return name.endsWith("Tests") || name.contains("Tests$");
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof NoTestClasses;
		}

		@Override
		public int hashCode() {
			return NoTestClasses.class.hashCode();
		}

	}
}
