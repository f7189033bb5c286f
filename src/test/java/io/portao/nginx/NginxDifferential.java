package io.portao.nginx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;


import io.portao.support.FakeBackend;
import io.portao.support.NginxProcess;

import static io.portao.nginx.Requests.bare;
import static io.portao.nginx.Requests.chunkedPost;
import static io.portao.nginx.Requests.get;
import static io.portao.nginx.Requests.withBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The same requests to the reference nginx ({@code conf.d/bapi.conf}, or {@code bapi-ssl.conf}, run by
 * {@link NginxProcess}) and to Portão, both in front of the same two {@link FakeBackend}s, compared: status, the
 * request as the backend received it, the response headers that matter and the body. nginx is the oracle; any
 * difference is a bug or a documented deviation, never something to tolerate here. Each subclass starts nginx and
 * one way of configuring Portão: the configuration contract, or the YAML {@code import-nginx} made of the
 * reference files.
 *
 * <p>Ordered only so that the cases that stop backends run last: both servers leave a failed instance out of
 * balancing for 10 s ({@code max_fails=1 fail_timeout=10s}), which would skew the round-robin comparison.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class NginxDifferential {

	/** The mtime of every static file, fixed so that ETag and Last-Modified are known in advance. */
	static final Instant MTIME = Instant.parse("2024-01-02T03:04:05Z");

	static final String CSS = "body { color: #333; }\n";

	static final List<String> STATIC_HEADERS = List.of("Content-Type", "Content-Length", "Last-Modified", "ETag",
			"Cache-Control", "Expires", "Content-Range");

	@TempDir
	static Path tmp;

	static FakeBackend backendA;

	static FakeBackend backendB;

	static NginxProcess nginx;

	@BeforeAll
	static void startBackends() throws IOException {
		NginxProcess.assumeInstalled();
		backendA = FakeBackend.start("backend-A");
		backendB = FakeBackend.start("backend-B");
		writeStaticFiles(root().resolve("static"));
	}

	/** The static root both serve from, nginx's {@code root}: {@code /static/x} is {@code root/static/x}. */
	static Path root() {
		return tmp.resolve("root");
	}

	/** The port Portão listens on. */
	abstract int portaoPort();

	/** Sends {@code request} to 127.0.0.1:{@code port}: plain HTTP here, TLS in the subclass for bapi-ssl.conf. */
	Answer answer(int port, String request) throws IOException {
		return Answer.send(port, request);
	}

	@AfterAll
	static void stopAll() {
		for (AutoCloseable started : new AutoCloseable[] { nginx, backendA, backendB }) {
			if (started != null) {
				close(started);
			}
		}
	}

	static Stream<Arguments> proxiedRequests() {
		return Stream.of(arguments("root", get("/")),
				arguments("no Accept, no User-Agent", bare("/bare")),
				arguments("encoded slash", get("/a%2Fb/c%2f")),
				arguments("matrix parameters", get("/a;jsessionid=XYZ/b;v=1;w=2/c")),
				arguments("UTF-8 escapes, both cases", get("/caf%C3%A9/na%c3%afve/%E2%82%AC")),
				arguments("escaped space, tilde, percent", get("/%7Euser/a%20b/100%25")),
				arguments("query string", get("/search?q=a%20b&x=1+2&y=%2F&z&e=%E2%82%AC")),
				arguments("empty query", get("/p?")),
				arguments("query with slashes and question marks", get("/p?next=/a/b?c=d&&x=")),
				arguments("double slash", get("/a//b")),
				arguments("prefix of the static location", get("/static")),
				arguments("sibling of the static location", get("/staticky/app.css")),
				arguments("client X-Real-IP and X-Scheme", get("/ip", "X-Real-IP: 6.6.6.6", "X-Scheme: https")),
				arguments("Host with a port", get("/host", "Host: bapih.bis.com.br:8888")),
				arguments("other end-to-end headers", get("/h", "Accept: text/html", "X-Custom: 1", "Cookie: a=b")),
				arguments("POST with a body", withBody("POST", "/form?x=1", "a=1&b=%C3%A9&c=" + "x".repeat(3000))),
				arguments("PUT with an empty body", withBody("PUT", "/empty", "")),
				arguments("DELETE", get("/thing/1").replaceFirst("GET", "DELETE")),
				arguments("chunked POST", chunkedPost("/upload", "hello ", "chunked ", "world")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("proxiedRequests")
	void proxiesLikeNginx(String name, String request) throws IOException {
		Both answers = send(request);
		SoftAssertions.assertSoftly(soft -> assertProxiedAlike(soft, answers));
	}

	@Test
	void overwritesAClientSentRealIp() throws IOException {
		Both answers = send(get("/ip", "X-Real-IP: 6.6.6.6"));
		assertThat(answers.nginx().echo().header("x-real-ip")).as("nginx, the oracle").isEqualTo("127.0.0.1");
		assertThat(answers.portao().echo().header("x-real-ip")).isEqualTo("127.0.0.1");
	}

	@Test
	void passesLocationAndServerThroughUnchanged() throws IOException {
		Map<String, String> location = Map.of("Location", "http://elsewhere/x");
		try {
			for (FakeBackend backend : List.of(backendA, backendB)) {
				backend.status(302).headers(location);
			}
			Both answers = send(get("/moved"));
			SoftAssertions.assertSoftly(soft -> {
				assertProxiedAlike(soft, answers);
				soft.assertThat(answers.portao().header("Location")).isEqualTo("http://elsewhere/x");
			});
		}
		finally {
			for (FakeBackend backend : List.of(backendA, backendB)) {
				backend.status(200).headers(Map.of());
			}
		}
	}

	@Test
	void alternatesBetweenInstancesLikeNginx() throws IOException {
		List<Boolean> nginxPattern = alternation(backendsServing(nginx.port(), 6));
		List<Boolean> portaoPattern = alternation(backendsServing(portaoPort(), 6));
		assertThat(nginxPattern).as("nginx, the oracle").containsExactly(true, false, true, false, true, false);
		assertThat(portaoPattern).isEqualTo(nginxPattern);
	}

	@Test
	@Order(Order.DEFAULT + 1)
	void failsOverToTheLiveInstanceLikeNginx() throws IOException {
		backendB.stop();
		try {
			assertThat(backendsServing(nginx.port(), 6)).as("nginx, the oracle").containsOnly("backend-A").hasSize(6);
			assertThat(backendsServing(portaoPort(), 6)).containsOnly("backend-A").hasSize(6);
		}
		finally {
			backendB.restart();
		}
	}

	@Test
	@Order(Order.DEFAULT + 2)
	void answers502WhenEveryInstanceIsDownLikeNginx() throws IOException {
		backendA.stop();
		backendB.stop();
		try {
			Both answers = send(get("/down"));
			assertThat(answers.nginx().status()).as("nginx, the oracle").isEqualTo(502);
			assertThat(answers.portao().status()).isEqualTo(502);
		}
		finally {
			backendA.restart();
			backendB.restart();
		}
	}

	static Stream<Arguments> staticRequests() {
		String etag = String.format("\"%x-%x\"", MTIME.getEpochSecond(), CSS.length());
		// IMF-fixdate (RFC 9110 §5.6.7), as browsers send it: a two-digit day. Java's RFC_1123_DATE_TIME writes
		// "2 Jan", which nginx rightly ignores and Spring leniently accepts.
		String lastModified = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US)
			.withZone(ZoneOffset.UTC)
			.format(MTIME);
		return Stream.of(arguments("css", get("/static/app.css")),
				arguments("css, query string: expires max", get("/static/app.css?v=1")),
				arguments("js", get("/static/app.js")), arguments("png", get("/static/img/logo.png")),
				arguments("json", get("/static/data.json")), arguments("html", get("/static/sub/page.html")),
				arguments("unknown extension: default_type", get("/static/notes.unknownext")),
				arguments("If-None-Match: 304", get("/static/app.css", "If-None-Match: " + etag)),
				arguments("If-None-Match, query: 304", get("/static/app.css?v=2", "If-None-Match: " + etag)),
				arguments("If-None-Match, other: 200", get("/static/app.css", "If-None-Match: \"other\"")),
				arguments("If-Modified-Since: 304", get("/static/app.css", "If-Modified-Since: " + lastModified)),
				arguments("Range: 206", get("/static/app.css", "Range: bytes=0-9")),
				arguments("Range suffix: 206", get("/static/app.css?v=3", "Range: bytes=-5")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("staticRequests")
	void servesStaticFilesLikeNginx(String name, String request) throws IOException {
		int asked = backendA.requestCount() + backendB.requestCount();
		Both answers = send(request);
		SoftAssertions.assertSoftly(soft -> {
			soft.assertThat(answers.portao().status()).as("status").isEqualTo(answers.nginx().status());
			soft.assertThat(answers.portao().headers(STATIC_HEADERS)).isEqualTo(answers.nginx().headers(STATIC_HEADERS));
			soft.assertThat(answers.portao().body()).as("body").isEqualTo(answers.nginx().body());
			soft.assertThat(backendA.requestCount() + backendB.requestCount()).as("requests proxied").isEqualTo(asked);
		});
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("missingStaticFiles")
	void answers404ForAMissingStaticFileWithoutAskingTheBackend(String target) throws IOException {
		int asked = backendA.requestCount() + backendB.requestCount();
		Both answers = send(get(target));
		assertThat(answers.nginx().status()).as("nginx, the oracle").isEqualTo(404);
		assertThat(answers.portao().status()).isEqualTo(404);
		assertThat(backendA.requestCount() + backendB.requestCount()).as("requests proxied").isEqualTo(asked);
	}

	static Stream<String> missingStaticFiles() {
		return Stream.of("/static/missing.css", "/static/missing.css?v=1", "/static/sub/missing.html");
	}

	private static void assertProxiedAlike(SoftAssertions soft, Both answers) {
		Answer nginxAnswer = answers.nginx();
		Answer portao = answers.portao();
		soft.assertThat(portao.status()).as("status").isEqualTo(nginxAnswer.status());
		FakeBackend.Echo expected = nginxAnswer.echo();
		FakeBackend.Echo actual = portao.echo();
		soft.assertThat(actual.method()).as("method received").isEqualTo(expected.method());
		soft.assertThat(actual.uri()).as("raw URI received").isEqualTo(expected.uri());
		soft.assertThat(actual.bodyBytes()).as("body bytes received").isEqualTo(expected.bodyBytes());
		soft.assertThat(portao.forwardedHeaders()).as("headers received").isEqualTo(nginxAnswer.forwardedHeaders());
		soft.assertThat(portao.headers(List.of("Location", "Content-Type")))
			.isEqualTo(nginxAnswer.headers(List.of("Location", "Content-Type")));
		// proxy_pass_header Server: each side passes the Server of the instance that answered it.
		soft.assertThat(nginxAnswer.header("Server")).as("nginx Server").isEqualTo(expected.backend());
		soft.assertThat(portao.header("Server")).as("Server").isEqualTo(actual.backend());
	}

	private Both send(String request) throws IOException {
		return new Both(answer(nginx.port(), request), answer(portaoPort(), request));
	}

	private List<String> backendsServing(int port, int requests) throws IOException {
		List<String> backends = new ArrayList<>();
		for (int i = 0; i < requests; i++) {
			Answer answer = answer(port, get("/rr/" + i));
			assertThat(answer.status()).as("request %d to port %d", i, port).isEqualTo(200);
			backends.add(answer.header("X-Backend"));
		}
		return backends;
	}

	/** For each answer, whether the first backend served it: the pattern, whichever backend starts. */
	private static List<Boolean> alternation(List<String> backends) {
		return backends.stream().map(backends.get(0)::equals).toList();
	}

	private static void writeStaticFiles(Path dir) throws IOException {
		Map<String, byte[]> files = Map.of("app.css", CSS.getBytes(), "app.js", "console.log('hi');\n".getBytes(),
				"img/logo.png", new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 1, 2 },
				"data.json", "{\"a\": 1}\n".getBytes(), "sub/page.html", "<p>hi</p>\n".getBytes(),
				"notes.unknownext", "some notes\n".getBytes());
		for (Map.Entry<String, byte[]> file : files.entrySet()) {
			Path path = dir.resolve(file.getKey());
			Files.createDirectories(path.getParent());
			Files.write(path, file.getValue());
			Files.setLastModifiedTime(path, FileTime.from(MTIME));
		}
	}

	private static void close(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			throw new IllegalStateException("could not stop " + closeable, ex);
		}
	}

	/** The answers of nginx and of Portão to the same request. */
	record Both(Answer nginx, Answer portao) {
	}

}
