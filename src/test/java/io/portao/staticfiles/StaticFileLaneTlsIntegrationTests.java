package io.portao.staticfiles;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.FreePorts;
import io.portao.support.RawHttpClient;
import io.portao.support.RawHttpClient.RawResponse;
import io.portao.support.TestCertificates;
import io.portao.support.TestCertificates.Pem;
import io.portao.tls.TlsTestClients;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The static lane over TLS, where a file cannot go to the connection with {@code sendfile}: HTTP/1.1 and HTTP/2
 * answers are the web stack's, byte for byte (the same GET made conditional by an older date takes the web
 * stack). And the ports the lanes are not on: the management port ({@code management.server.port}) and the TLS
 * redirect port ({@code portao.tls.redirect-port}) answer a static path as they do without lanes.
 */
@SpringBootTest(classes = { PortaoApplication.class, WebStackStaticRequests.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.port=0")
class StaticFileLaneTlsIntegrationTests {

	static final String OLDER = "Thu, 01 Jan 2015 00:00:00 GMT";

	static final StaticRoot files = StaticRoot.create();

	static final Pem pem = TestCertificates.generateInTempDirectory("portao-static-lane-tls");

	static final int MANAGEMENT_PORT = FreePorts.next();

	static final int REDIRECT_PORT = FreePorts.next();

	static final AtomicInteger throughWebStack = WebStackStaticRequests.COUNT;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.web.resources.static-locations", files::location);
		registry.add("server.ssl.bundle", () -> "web");
		registry.add("spring.ssl.bundle.pem.web.keystore.certificate", () -> "file:" + pem.certificateFile());
		registry.add("spring.ssl.bundle.pem.web.keystore.private-key", () -> "file:" + pem.privateKeyFile());
		registry.add("management.server.port", () -> MANAGEMENT_PORT);
		registry.add("portao.tls.redirect-port", () -> REDIRECT_PORT);
	}

	@AfterAll
	static void stop() throws IOException {
		files.close();
	}

	/** Whether the lanes are on ({@code portao.proxy.lane.enabled}); off in the subclass. */
	boolean laneOn() {
		return true;
	}

	@ParameterizedTest
	@ValueSource(strings = { "/static/css/app.css", "/static/big.bin" })
	void http11OverTlsAnswersAsTheWebStack(String path) throws IOException {
		int before = throughWebStack.get();
		RawResponse plain = RawHttpClient.sendTls(this.port, request(path, ""), Duration.ofSeconds(20));
		assertThat(throughWebStack.get()).isEqualTo(laneOn() ? before : before + 1);
		RawResponse webStack = RawHttpClient.sendTls(this.port, request(path, "If-Modified-Since: " + OLDER + "\r\n"),
				Duration.ofSeconds(20));

		assertThat(plain.status()).isEqualTo(200);
		assertThat(FastPathParity.headerLines(plain)).containsExactlyElementsOf(FastPathParity.headerLines(webStack));
		assertThat(plain.body()).isEqualTo(webStack.body());
	}

	@ParameterizedTest
	@ValueSource(strings = { "/static/css/app.css", "/static/big.bin" })
	void http2AnswersAsTheWebStack(String path) throws Exception {
		HttpClient h2 = HttpClient.newBuilder()
			.sslContext(TlsTestClients.trusting(pem.certificate()))
			.version(HttpClient.Version.HTTP_2)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		int before = throughWebStack.get();
		HttpResponse<byte[]> plain = h2.send(https(path).build(), BodyHandlers.ofByteArray());
		assertThat(throughWebStack.get()).isEqualTo(laneOn() ? before : before + 1);
		HttpResponse<byte[]> webStack = h2.send(https(path).header("If-Modified-Since", OLDER).build(),
				BodyHandlers.ofByteArray());

		assertThat(plain.version()).isEqualTo(HttpClient.Version.HTTP_2);
		assertThat(plain.statusCode()).isEqualTo(200);
		assertThat(withoutDate(plain.headers())).isEqualTo(withoutDate(webStack.headers()));
		assertThat(StaticRoot.sha256(plain.body())).isEqualTo(StaticRoot.sha256(webStack.body()))
			.isEqualTo(StaticRoot.sha256(files.root.resolve(path.substring("/static/".length()))));
	}

	@Test
	void theRedirectPortRedirectsAStaticPath() throws IOException {
		RawResponse response = RawHttpClient.send(REDIRECT_PORT, request("/static/css/app.css", ""),
				Duration.ofSeconds(10));

		assertThat(response.status()).isEqualTo(308);
		assertThat(response.header("Location")).isEqualTo("https://localhost:" + this.port + "/static/css/app.css");
		assertThat(response.body()).doesNotContain("color: red");
	}

	@Test
	void theManagementPortServesNoFiles() throws IOException {
		RawResponse response = RawHttpClient.send(MANAGEMENT_PORT, request("/static/css/app.css", ""),
				Duration.ofSeconds(10));

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.body()).doesNotContain("color: red");
	}

	private static String request(String path, String headers) {
		return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n";
	}

	private HttpRequest.Builder https(String path) {
		return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + this.port + path)).timeout(Duration.ofSeconds(20));
	}

	private static Map<String, List<String>> withoutDate(HttpHeaders headers) {
		Map<String, List<String>> all = new TreeMap<>(headers.map());
		all.remove("date");
		return all;
	}
}
