package io.portao.staticfiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.stream.Stream;

import io.portao.PortaoApplication;
import io.portao.support.FakeBackend;
import io.portao.support.RawHttpClient;
import io.portao.support.RawHttpClient.RawResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nginx's {@code location /static/ { root ...; if ($query_string) { expires max; } }} over real sockets, with a
 * {@code Path=/**} route to a live backend that must never see a static path.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0",
				"spring.cloud.gateway.server.webflux.routes[0].id=bapis",
				"spring.cloud.gateway.server.webflux.routes[0].uri=lb://bapis",
				"spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/**" })
class StaticFilesIntegrationTests {

	static final StaticRoot files = StaticRoot.create();

	static final FakeBackend backend = FakeBackend.start("bapis");

	static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	/** RFC 9110 section 5.6.7 IMF-fixdate. */
	static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.web.resources.static-locations", files::location);
		registry.add("spring.cloud.discovery.client.simple.instances.bapis[0].uri", backend::uri);
	}

	@AfterAll
	static void stop() throws IOException {
		backend.close();
		files.close();
	}

	@BeforeEach
	void clearBackend() {
		backend.clear();
	}

	@Test
	void staticPathWinsOverCatchAllRoute() throws Exception {
		HttpResponse<String> file = get("/static/css/app.css");
		HttpResponse<String> proxied = get("/css/app.css");

		assertThat(file.statusCode()).isEqualTo(200);
		assertThat(file.body()).isEqualTo("body { color: red; }\n");
		assertThat(proxied.headers().firstValue("X-Backend")).hasValue("bapis");
		assertThat(backend.received()).extracting(FakeBackend.Echo::uri).containsExactly("/css/app.css");
	}

	@Test
	void missingFileIs404AndNeverProxied() throws Exception {
		assertThat(get("/static/nope.css").statusCode()).isEqualTo(404);
		assertThat(get("/static/").statusCode()).isEqualTo(404);
		assertThat(get("/static/css").statusCode()).isEqualTo(404);
		assertThat(backend.requestCount()).isZero();
	}

	@ParameterizedTest
	@CsvSource({ "css/app.css, text/css", "app.js, application/javascript", "index.html, text/html",
			"logo.png, image/png", "logo.svg, image/svg+xml", "font.woff2, font/woff2", "data.json, application/json",
			"notes.txt, text/plain", "UPPER.CSS, text/css", "blob.xyz, application/octet-stream",
			"report.csv, application/octet-stream", "README, application/octet-stream" })
	void contentTypeIsNginxs(String file, String type) throws Exception {
		HttpResponse<String> response = get("/static/" + file);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().allValues("Content-Type")).containsExactly(type);
	}

	@Test
	void rangeKeepsNginxContentType() throws Exception {
		HttpResponse<String> response = send(request("/static/report.csv").header("Range", "bytes=0-3"));

		assertThat(response.statusCode()).isEqualTo(206);
		assertThat(response.headers().allValues("Content-Type")).containsExactly("application/octet-stream");
	}

	@Test
	void multipleRangesAreMultipartAndFramedRight() throws Exception {
		RawResponse response = RawHttpClient.send(this.port, "GET /static/css/app.css HTTP/1.1\r\nHost: localhost\r\n"
				+ "Range: bytes=0-1,3-4\r\nConnection: close\r\n\r\n", Duration.ofSeconds(5));

		assertThat(response.status()).isEqualTo(206);
		assertThat(response.header("content-type")).startsWith("multipart/byteranges");
		assertThat(response.header("content-length")).isNull();
		assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
		assertThat(response.body()).contains("Content-Range: bytes 0-1/21", "Content-Range: bytes 3-4/21");
	}

	@Test
	void multipleRangesLeaveTheConnectionUsable() throws Exception {
		send(request("/static/css/app.css").header("Range", "bytes=0-1,3-4"));

		assertThat(get("/static/css/app.css").body()).isEqualTo("body { color: red; }\n");
	}

	@Test
	void unsatisfiableRangeIs416() throws Exception {
		HttpResponse<String> response = send(request("/static/css/app.css").header("Range", "bytes=100-"));

		assertThat(response.statusCode()).isEqualTo(416);
		assertThat(response.body()).isEmpty();
		assertThat(get("/static/css/app.css").body()).isEqualTo("body { color: red; }\n");
	}

	@Test
	void etagAndLastModifiedAreNginxs() throws Exception {
		var file = files.root.resolve("css/app.css");
		long mtime = Files.getLastModifiedTime(file).toMillis();

		HttpResponse<String> response = get("/static/css/app.css");

		String etag = "\"" + Long.toHexString(mtime / 1000) + "-" + Long.toHexString(Files.size(file)) + "\"";
		assertThat(response.headers().firstValue("ETag")).hasValue(etag);
		assertThat(response.headers().firstValue("Last-Modified")).hasValue(httpDate(mtime));
		assertThat(response.headers().firstValue("Accept-Ranges")).hasValue("bytes");
	}

	/**
	 * A plain GET is answered by {@link PlainFileResponder}; the same GET made conditional (by a date the file is
	 * newer than, so still a full 200) goes through Spring's handler: same status line, headers and body.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "/static/css/app.css", "/static/css/app.css?v=3", "/static/alias.css", "/static/big.bin" })
	void thePlainFastPathAnswersExactlyAsSpringsHandler(String path) throws Exception {
		FastPathParity.assertSameAsSpringsHandler(this.port, path);
	}

	@Test
	void aChangedFileGetsNewValidators() throws Exception {
		var file = files.root.resolve("css/changing.css");
		Files.writeString(file, "a { }\n");
		Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L));
		HttpResponse<String> before = get("/static/css/changing.css");
		Files.writeString(file, "a { color: blue; }\n");
		Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));

		HttpResponse<String> after = get("/static/css/changing.css");

		assertThat(before.headers().firstValue("ETag")).hasValue("\"" + Long.toHexString(1_600_000_000L) + "-6\"");
		assertThat(after.headers().firstValue("ETag")).hasValue("\"" + Long.toHexString(1_700_000_000L) + "-13\"");
		assertThat(after.headers().firstValue("Last-Modified")).hasValue(httpDate(1_700_000_000_000L));
		assertThat(after.body()).isEqualTo("a { color: blue; }\n");
	}

	@Test
	void notModifiedOnIfNoneMatch() throws Exception {
		String etag = get("/static/css/app.css").headers().firstValue("ETag").orElseThrow();

		HttpResponse<String> response = send(request("/static/css/app.css").header("If-None-Match", etag));

		assertThat(response.statusCode()).isEqualTo(304);
		assertThat(response.body()).isEmpty();
		assertThat(response.headers().firstValue("ETag")).hasValue(etag);
	}

	@Test
	void notModifiedOnIfModifiedSince() throws Exception {
		String lastModified = get("/static/css/app.css").headers().firstValue("Last-Modified").orElseThrow();

		HttpResponse<String> response = send(request("/static/css/app.css").header("If-Modified-Since", lastModified));

		assertThat(response.statusCode()).isEqualTo(304);
	}

	@Test
	void modifiedSinceAnOlderDateIsSentInFull() throws Exception {
		HttpResponse<String> response = send(
				request("/static/css/app.css").header("If-Modified-Since", "Thu, 01 Jan 2015 00:00:00 GMT"));

		assertThat(response.statusCode()).isEqualTo(200);
	}

	@Test
	void rangeGives206WithContentRange() throws Exception {
		long size = Files.size(files.root.resolve("css/app.css"));

		HttpResponse<String> response = send(request("/static/css/app.css").header("Range", "bytes=2-5"));

		assertThat(response.statusCode()).isEqualTo(206);
		assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes 2-5/" + size);
		assertThat(response.body()).isEqualTo("dy {");
	}

	@Test
	void headSendsHeadersOnly() throws Exception {
		RawResponse response = RawHttpClient.send(this.port,
				"HEAD /static/css/app.css HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", Duration.ofSeconds(5));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("content-type")).isEqualTo("text/css");
		assertThat(response.header("content-length")).isEqualTo("21");
		assertThat(response.body()).isEmpty();
	}

	@ParameterizedTest
	@CsvSource({ "/static/css/app.css?v=1, 200, ''", "/static/css/app.css?v=1, 206, bytes=0-1" })
	void expiresMaxWithQueryString(String path, int status, String range) throws Exception {
		HttpRequest.Builder request = request(path);
		if (!range.isEmpty()) {
			request.header("Range", range);
		}

		HttpResponse<String> response = send(request);

		assertThat(response.statusCode()).isEqualTo(status);
		assertExpiresMax(response);
	}

	@Test
	void expiresMaxOnNotModifiedWithQueryString() throws Exception {
		String etag = get("/static/css/app.css").headers().firstValue("ETag").orElseThrow();

		HttpResponse<String> response = send(request("/static/css/app.css?v=1").header("If-None-Match", etag));

		assertThat(response.statusCode()).isEqualTo(304);
		assertExpiresMax(response);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/static/css/app.css", "/static/css/app.css?", "/static/nope.css?v=1" })
	void noExpiresWithoutQueryStringOrFile(String path) throws Exception {
		HttpResponse<String> response = get(path);

		assertThat(response.headers().firstValue("Expires")).isEmpty();
		assertThat(response.headers().firstValue("Cache-Control")).isEmpty();
	}

	@Test
	void largeFileIsStreamedWhole() throws Exception {
		HttpResponse<InputStream> response = http.send(request("/static/big.bin").build(), BodyHandlers.ofInputStream());

		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		long length;
		try (InputStream body = new DigestInputStream(response.body(), digest)) {
			length = body.transferTo(OutputStream.nullOutputStream());
		}
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(StaticRoot.BIG_SIZE));
		assertThat(length).isEqualTo(StaticRoot.BIG_SIZE);
		assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(StaticRoot.sha256(files.root.resolve("big.bin")));
	}

	static Stream<Arguments> traversals() {
		return Stream.of("/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/..%2fsecret.txt",
				"/static/%2e%2e%2fsecret.txt", "/static/%252e%252e/secret.txt", "/static/%252e%252e%252fsecret.txt",
				"/static/..;/secret.txt", "/static/css/..;/../secret.txt", "/static/..\\secret.txt",
				"/static/..%5csecret.txt", "/static/%2e%2e%5csecret.txt", "/static/%00.png",
				"/static/css/app.css%00.png", "/static/escape.txt", "/static/escape-dir/secret.txt",
				"/static/.env", "/static/%2eenv", "/static/.git/config", "/static/css/../.env",
				"/static//../secret.txt", "/static/./../secret.txt", "/static/" + files.dir + "/secret.txt",
				"/static/file:" + files.secret)
			.map(Arguments::of);
	}

	@ParameterizedTest
	@MethodSource("traversals")
	void nothingOutsideTheRootNorHiddenIsServed(String path) throws Exception {
		RawResponse response = RawHttpClient.send(this.port,
				"GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", Duration.ofSeconds(5));

		assertThat(response.status()).isIn(400, 404);
		assertThat(response.raw()).doesNotContain(StaticRoot.SECRET);
		assertThat(backend.requestCount()).isZero();
	}

	@Test
	void symlinkInsideTheRootIsFollowed() throws Exception {
		HttpResponse<String> response = get("/static/alias.css");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("body { color: red; }\n");
	}

	@Test
	void managementPortDoesNotServeFiles() throws Exception {
		HttpResponse<String> response = http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/static/css/app.css"))
			.build(), BodyHandlers.ofString());

		// With management.server.port=0 the gateway's own management-port check does not apply, so the request
		// may be proxied; what matters here is that the file is not served from the management port.
		assertThat(response.body()).doesNotContain("color: red");
	}

	private static void assertExpiresMax(HttpResponse<?> response) {
		assertThat(response.headers().allValues("Expires")).containsExactly("Thu, 31 Dec 2037 23:55:55 GMT");
		assertThat(response.headers().allValues("Cache-Control")).containsExactly("max-age=315360000");
	}

	private static String httpDate(long millis) {
		return HTTP_DATE.format(Instant.ofEpochSecond(millis / 1000).atZone(ZoneOffset.UTC));
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).timeout(Duration.ofSeconds(10));
	}

	private HttpResponse<String> get(String path) throws Exception {
		return send(request(path));
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return http.send(request.build(), BodyHandlers.ofString());
	}

}
