package io.portao.staticfiles;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import io.portao.PortaoApplication;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code portao.static-files.version-check=true} over real sockets: {@code ?v=} gets nginx's {@code expires max}
 * only when it names the file on disk (a prefix of its MD5, computed here independently), otherwise
 * {@code no-cache}; a rewritten file is hashed again. BlockHound runs in this JVM, so hashing on an event loop
 * would fail these requests.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0", "portao.static-files.version-check=true" })
class StaticVersionCheckIntegrationTests {

	static final String EXPIRES_MAX = "Thu, 31 Dec 2037 23:55:55 GMT";

	static final String MAX_AGE = "max-age=315360000";

	static final String CSS = "body { color: red; }\n";

	static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@TempDir
	static Path root;

	static byte[] big;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.web.resources.static-locations", () -> root.toUri().toString());
	}

	@BeforeAll
	static void files() throws IOException {
		Files.writeString(root.resolve("app.css"), CSS);
		big = new byte[3 * 1024 * 1024];
		new Random(42).nextBytes(big);
		Files.write(root.resolve("big.bin"), big);
	}

	@ParameterizedTest
	@ValueSource(ints = { 5, 8, 32 })
	void aMatchingVersionGetsExpiresMax(int length) throws Exception {
		HttpResponse<String> response = get("/static/app.css?v=" + md5(CSS).substring(0, length));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(CSS);
		assertExpiresMax(response);
	}

	@Test
	void caseAndOtherParametersDoNotMatter() throws Exception {
		assertExpiresMax(get("/static/app.css?v=" + md5(CSS).substring(0, 12).toUpperCase(Locale.ROOT)));
		assertExpiresMax(get("/static/app.css?lang=pt&v=" + md5(CSS).substring(0, 5) + "&x"));
	}

	@Test
	void theWholeSha512AsTornadoSendsItGetsExpiresMax() throws Exception {
		assertExpiresMax(get("/static/app.css?v=" + ContentHashesTests.hex("SHA-512", bytes(CSS))));
	}

	@ParameterizedTest
	@ValueSource(strings = { "00000", "0123456789abcdef", "1", "v2", "zzzzz", "", "release-42" })
	void anyOtherVersionGetsTheFileWithNoCache(String version) throws Exception {
		HttpResponse<String> response = get("/static/app.css?v=" + version);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(CSS);
		assertNoCache(response);
	}

	@Test
	void aStaleVersionAfterARewriteGetsNoCacheAndTheNewOneExpiresMax() throws Exception {
		Path file = root.resolve("changing.css");
		write(file, "a { }\n", 1_600_000_000_000L);
		String old = md5("a { }\n").substring(0, 5);
		assertExpiresMax(get("/static/changing.css?v=" + old));

		write(file, "a { color: blue; }\n", 1_700_000_000_000L);
		String current = md5("a { color: blue; }\n").substring(0, 5);

		HttpResponse<String> stale = get("/static/changing.css?v=" + old);
		HttpResponse<String> fresh = get("/static/changing.css?v=" + current);
		assertThat(stale.body()).isEqualTo("a { color: blue; }\n");
		assertNoCache(stale);
		assertThat(fresh.body()).isEqualTo("a { color: blue; }\n");
		assertExpiresMax(fresh);
	}

	@Test
	void aQueryWithoutTheVersionKeepsNginxsRule() throws Exception {
		assertExpiresMax(get("/static/app.css?lang=pt"));
		HttpResponse<String> noQuery = get("/static/app.css");
		assertThat(noQuery.headers().firstValue("Expires")).isEmpty();
		assertThat(noQuery.headers().firstValue("Cache-Control")).isEmpty();
	}

	@Test
	void notModifiedAndPartialAnswersFollowTheSameRule() throws Exception {
		String etag = get("/static/app.css").headers().firstValue("ETag").orElseThrow();
		String current = "/static/app.css?v=" + md5(CSS).substring(0, 5);
		String stale = "/static/app.css?v=00000";

		HttpResponse<String> notModified = send(request(current).header("If-None-Match", etag));
		HttpResponse<String> staleNotModified = send(request(stale).header("If-None-Match", etag));
		HttpResponse<String> partial = send(request(current).header("Range", "bytes=0-3"));
		HttpResponse<String> stalePartial = send(request(stale).header("Range", "bytes=0-3"));

		assertThat(List.of(notModified.statusCode(), staleNotModified.statusCode())).containsOnly(304);
		assertThat(List.of(partial.statusCode(), stalePartial.statusCode())).containsOnly(206);
		assertExpiresMax(notModified);
		assertExpiresMax(partial);
		assertNoCache(staleNotModified);
		assertNoCache(stalePartial);
	}

	@Test
	void aMissingFileIsStill404() throws Exception {
		HttpResponse<String> response = get("/static/nope.css?v=" + md5(CSS).substring(0, 5));

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Expires")).isEmpty();
	}

	/** Spring's handler (made conditional by an old date, still a 200) and the plain fast path agree. */
	@ParameterizedTest
	@ValueSource(strings = { "00000", "current" })
	void theFastPathAnswersAsSpringsHandler(String version) throws Exception {
		String path = "/static/app.css?v=" + ("current".equals(version) ? md5(CSS).substring(0, 5) : version);
		FastPathParity.assertSameAsSpringsHandler(this.port, path);
	}

	/** Concurrent first requests for a larger file all get their answer, hashed off the event loops. */
	@Test
	void concurrentFirstRequestsForALargerFile() throws Exception {
		String path = "/static/big.bin?v=" + ContentHashesTests.hex("MD5", big).substring(0, 10);

		List<HttpResponse<byte[]>> responses = IntStream.range(0, 8)
			.mapToObj(i -> http.sendAsync(request(path).build(), BodyHandlers.ofByteArray()))
			.toList()
			.stream()
			.map(CompletableFuture::join)
			.toList();

		for (HttpResponse<byte[]> response : responses) {
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(big);
			assertExpiresMax(response);
		}
	}

	private static void assertExpiresMax(HttpResponse<?> response) {
		assertThat(response.headers().allValues("Expires")).containsExactly(EXPIRES_MAX);
		assertThat(response.headers().allValues("Cache-Control")).containsExactly(MAX_AGE);
	}

	private static void assertNoCache(HttpResponse<?> response) {
		assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-cache");
		assertThat(response.headers().allValues("Expires")).isEmpty();
	}

	private static void write(Path file, String content, long modifiedMillis) throws IOException {
		Files.writeString(file, content);
		Files.setLastModifiedTime(file, FileTime.fromMillis(modifiedMillis));
	}

	private static String md5(String content) throws Exception {
		return ContentHashesTests.hex("MD5", bytes(content));
	}

	private static byte[] bytes(String content) {
		return content.getBytes(StandardCharsets.UTF_8);
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).timeout(Duration.ofSeconds(20));
	}

	private HttpResponse<String> get(String path) throws Exception {
		return send(request(path));
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return http.send(request.build(), BodyHandlers.ofString());
	}

}
