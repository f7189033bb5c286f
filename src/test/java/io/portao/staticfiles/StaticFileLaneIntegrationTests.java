package io.portao.staticfiles;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.FakeBackend;
import io.portao.support.FreePorts;
import io.portao.support.RawHttpClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The static lane ({@link StaticFileLane}) over real sockets: which requests it takes (a web filter counts the ones
 * that reach the web stack), and that what it answers is observed and logged as the web stack's answers are. That
 * its headers and bodies are the web stack's is {@link FastPathParity}'s part, in
 * {@link StaticFilesIntegrationTests}, and {@link StaticFileLaneParityIntegrationTests}'s. With the lanes off
 * ({@link StaticFileLaneOffIntegrationTests}) every request reaches the web stack, with the same answers.
 */
@SpringBootTest(classes = { PortaoApplication.class, WebStackStaticRequests.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0",
				"spring.cloud.gateway.server.webflux.routes[0].id=bapis",
				"spring.cloud.gateway.server.webflux.routes[0].uri=lb://bapis",
				"spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/**" })
class StaticFileLaneIntegrationTests {

	static final StaticRoot files = StaticRoot.create();

	static final FakeBackend backend = FakeBackend.start("bapis");

	static final Path LOG = logFile();

	static final int MANAGEMENT_PORT = FreePorts.next();

	static final AtomicInteger throughWebStack = WebStackStaticRequests.COUNT;

	static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@LocalServerPort
	int port;

	/** A fixed port: with 0, Spring Cloud Gateway's routes would also answer on the management port. */
	final int managementPort = MANAGEMENT_PORT;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.web.resources.static-locations", files::location);
		registry.add("spring.cloud.discovery.client.simple.instances.bapis[0].uri", backend::uri);
		registry.add("portao.access-log.path", LOG::toString);
		registry.add("portao.access-log.flush", () -> "100ms");
		registry.add("management.server.port", () -> MANAGEMENT_PORT);
	}

	@AfterAll
	static void stop() throws IOException {
		backend.close();
		files.close();
		Files.deleteIfExists(LOG);
	}

	/** Whether the lanes are on ({@code portao.proxy.lane.enabled}); off in the subclass. */
	boolean laneOn() {
		return true;
	}

	@Test
	void plainGetOfAnExistingFileIsAnsweredWithoutTheWebStackWhenTheLaneIsOn() throws Exception {
		int before = throughWebStack.get();
		int proxied = backend.requestCount();

		HttpResponse<String> response = get("/static/css/app.css");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("body { color: red; }\n");
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/css");
		assertThat(throughWebStack.get()).isEqualTo(laneOn() ? before : before + 1);
		assertThat(backend.requestCount()).isEqualTo(proxied);
	}

	/**
	 * The lane keeps a file's descriptor open between requests ({@link OpenFiles}): every change on disk still
	 * shows in the next answer, with a version's headers and bytes from the same file.
	 */
	@Test
	void aFileReplacedChangedRemovedAndMadeAgainIsAnsweredAsItIsNow() throws Exception {
		Path file = files.root.resolve("deploy.js");
		Files.writeString(file, "one();");
		assertThat(get("/static/deploy.js").body()).isEqualTo("one();");
		assertThat(get("/static/deploy.js").body()).isEqualTo("one();");

		// A release renamed over it: same size, a new inode.
		Path next = Files.writeString(files.root.resolve("deploy.js.tmp"), "two();");
		Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		HttpResponse<String> replaced = get("/static/deploy.js");
		assertThat(replaced.body()).isEqualTo("two();");
		assertThat(replaced.headers().firstValue("Content-Length")).hasValue("6");

		// Changed in place, longer: the same inode, a new size.
		Files.writeString(file, "three();");
		HttpResponse<String> changed = get("/static/deploy.js");
		assertThat(changed.body()).isEqualTo("three();");
		assertThat(changed.headers().firstValue("Content-Length")).hasValue("8");

		Files.delete(file);
		assertThat(get("/static/deploy.js").statusCode()).isEqualTo(404);

		Files.writeString(file, "four();");
		assertThat(get("/static/deploy.js").body()).isEqualTo("four();");
	}

	/**
	 * A settled small file is sent from memory ({@link FileCopies}); a change that keeps its size and modification
	 * time (a rewrite within one tick of a coarse clock) is not a new version, and shows once the copy's descriptor
	 * is opened again ({@link OpenFiles#DEFAULT_VALID}); any other change shows in the next answer.
	 */
	@Test
	void aSettledFileSentFromMemoryIsAnsweredAsItIsNow() throws Exception {
		Path file = files.root.resolve("settled.js");
		FileTime settled = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
		Files.writeString(file, "one();");
		Files.setLastModifiedTime(file, settled);
		for (int i = 0; i < 4; i++) {
			assertThat(get("/static/settled.js").body()).isEqualTo("one();");
		}

		Files.writeString(file, "two();");
		Files.setLastModifiedTime(file, settled);
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		String body = get("/static/settled.js").body();
		while (!body.equals("two();") && System.nanoTime() < deadline) {
			Thread.sleep(100);
			body = get("/static/settled.js").body();
		}
		assertThat(body).isEqualTo("two();");

		Files.writeString(file, "three();");
		Files.setLastModifiedTime(file, settled);
		HttpResponse<String> longer = get("/static/settled.js");
		assertThat(longer.body()).isEqualTo("three();");
		assertThat(longer.headers().firstValue("Content-Length")).hasValue("8");
	}

	@ParameterizedTest(name = "{0} {1} -> {2}")
	@CsvSource({ "HEAD, /static/css/app.css, 200, ", "GET, /static/css/app.css?v=42, 200, ",
			"GET, /static/css/app.css, 200, If-Modified-Since: Thu, 01 Jan 2015 00:00:00 GMT",
			"GET, /static/css/app.css, 206, Range: bytes=0-3", "GET, /static/css/app%2Ecss, 200, ",
			"GET, /static/nope.css, 404, ", "GET, /static/css, 404, ", "GET, /static/, 404, ",
			"GET, /static/.env, 404, ", "GET, /static/escape.txt, 404, ",
			"GET, /static/css/../app.js, 400, ", "POST, /static/app.js, 405, " })
	void everyOtherRequestGoesThroughTheWebStack(String method, String target, int status, String header)
			throws Exception {
		int before = throughWebStack.get();
		int proxied = backend.requestCount();
		String extra = (header != null) ? header + "\r\n" : "";
		String body = method.equals("POST") ? "Content-Length: 0\r\n" : "";

		RawHttpClient.RawResponse response = RawHttpClient.send(this.port, method + " " + target
				+ " HTTP/1.1\r\nHost: localhost\r\n" + extra + body + "Connection: close\r\n\r\n", Duration.ofSeconds(10));

		assertThat(response.status()).isEqualTo(status);
		assertThat(throughWebStack.get()).isEqualTo(before + 1);
		assertThat(backend.requestCount()).isEqualTo(proxied);
	}

	@Test
	void queryGetsExpiresMaxFromTheWebStack() throws Exception {
		HttpResponse<String> response = get("/static/app.js?v=42");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("max-age=315360000");
	}

	@Test
	void laneAndWebStackRecordOneHttpServerRequestsSeries() throws Exception {
		long before = staticOkCount();
		for (int i = 0; i < 3; i++) {
			assertThat(get("/static/data.json").statusCode()).isEqualTo(200);
		}
		for (int i = 0; i < 2; i++) {
			HttpResponse<String> webStack = http.send(request("/static/data.json")
				.header("If-Modified-Since", "Thu, 01 Jan 2015 00:00:00 GMT")
				.build(), BodyHandlers.ofString());
			assertThat(webStack.statusCode()).isEqualTo(200);
		}

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(staticOkCount()).isEqualTo(before + 5));
		List<String> series = staticOkSeries();
		assertThat(series).hasSize(1);
		assertThat(series.get(0)).contains("error=\"none\"", "exception=\"none\"", "method=\"GET\"",
				"outcome=\"SUCCESS\"", "status=\"200\"", "uri=\"/static/**\"");
	}

	@Test
	void laneRequestsAreLogged() throws Exception {
		String request = "\"GET /static/logo.svg HTTP/1.1\" 200 " + Files.size(files.root.resolve("logo.svg")) + " ";

		assertThat(get("/static/logo.svg").statusCode()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(Files.readAllLines(LOG)).anyMatch(line -> line.contains(request)
					&& line.startsWith("127.0.0.1 - - [")));
	}

	@Test
	void managementPortServesNoFiles() throws Exception {
		HttpResponse<String> response = http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/static/css/app.css"))
			.timeout(Duration.ofSeconds(10))
			.build(), BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).doesNotContain("color: red");
	}

	private long staticOkCount() throws Exception {
		return staticOkCount(this.managementPort);
	}

	private List<String> staticOkSeries() throws Exception {
		return staticOkSeries(this.managementPort);
	}

	static long staticOkCount(int managementPort) throws Exception {
		List<String> series = staticOkSeries(managementPort);
		return series.isEmpty() ? 0 : (long) Double.parseDouble(series.get(0).substring(series.get(0).lastIndexOf(' ') + 1));
	}

	/** The {@code http.server.requests} count series of static {@code 200}s in a Prometheus scrape. */
	static List<String> staticOkSeries(int managementPort) throws Exception {
		String scrape = http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
			.timeout(Duration.ofSeconds(10))
			.build(), BodyHandlers.ofString()).body();
		return scrape.lines()
			.filter(line -> line.startsWith("http_server_requests_seconds_count{") && line.contains("uri=\"/static/**\"")
					&& line.contains("status=\"200\""))
			.toList();
	}

	private HttpResponse<String> get(String path) throws Exception {
		return http.send(request(path).build(), BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).timeout(Duration.ofSeconds(10));
	}

	static Path logFile() {
		try {
			return Files.createTempFile("portao-fast-lane", ".log");
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}
}
