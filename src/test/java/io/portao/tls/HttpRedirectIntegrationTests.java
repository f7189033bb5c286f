package io.portao.tls;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.portao.support.FakeBackend;
import io.portao.support.FreePorts;
import io.portao.support.FakeBackend.Echo;
import io.portao.support.RawHttpClient;
import io.portao.support.RawHttpClient.RawResponse;
import io.portao.support.TestCertificates;
import io.portao.support.TestCertificates.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** nginx {@code listen 80; return 308 https://$host$request_uri;}: the optional plain-HTTP port. */
@SpringBootTest(classes = io.portao.PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0" })
class HttpRedirectIntegrationTests {

	private static final FakeBackend backend = FakeBackend.start("A");

	private static final Pem pem = TestCertificates.generateInTempDirectory("portao-redirect");

	private static final int redirectPort = FreePorts.next();

	@LocalServerPort
	private int port;

	@Autowired
	private HttpRedirectServer redirectServer;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		PemBundle.register(registry, backend, () -> pem.certificateFile(), () -> pem.privateKeyFile());
		registry.add("portao.tls.redirect-port", () -> redirectPort);
	}

	@AfterAll
	static void stopBackend() {
		backend.close();
	}

	@BeforeEach
	void clearBackend() {
		backend.clear();
	}

	@Test
	void redirectsToHttpsWithHostWithoutPortAndRawPathAndQuery() throws IOException {
		RawResponse response = get("/a/b%20c?x=1&y=%2F", "Host: shop.example:" + redirectPort);

		assertThat(response.status()).isEqualTo(308);
		assertThat(response.header("Location")).isEqualTo("https://shop.example:" + this.port + "/a/b%20c?x=1&y=%2F");
		assertThat(backend.requestCount()).isZero();
	}

	@Test
	void postGets308SoClientsRepeatItAsPostAndNothingIsProxied() throws IOException {
		RawResponse response = RawHttpClient.send(redirectPort, "POST /form HTTP/1.1\r\nHost: shop.example\r\n"
				+ "Content-Length: 3\r\nConnection: close\r\n\r\nabc", Duration.ofSeconds(5));

		assertThat(response.status()).isEqualTo(308);
		assertThat(response.header("Location")).isEqualTo("https://shop.example:" + this.port + "/form");
		assertThat(backend.requestCount()).isZero();
	}

	@Test
	void requestWithoutHostIsRejected() throws IOException {
		RawResponse response = RawHttpClient.send(redirectPort, "GET /no-host HTTP/1.0\r\n\r\n", Duration.ofSeconds(5));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.header("Location")).isNull();
	}

	@Test
	void malformedHostIsRejected() throws IOException {
		assertThat(get("/", "Host: evil.example/path").status()).isEqualTo(400);
		assertThat(get("/", "Host: user@evil.example").status()).isEqualTo(400);
	}

	@Test
	void clientFollowingTheRedirectLandsOnTheHttpsPort() throws Exception {
		HttpClient client = HttpClient.newBuilder()
			.sslContext(TlsTestClients.trusting(pem.certificate()))
			.followRedirects(HttpClient.Redirect.NORMAL)
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		HttpResponse<String> response = client.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + redirectPort + "/follow?q=1")).build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.uri()).isEqualTo(URI.create("https://127.0.0.1:" + this.port + "/follow?q=1"));
		assertThat(response.previousResponse()).get()
			.satisfies((previous) -> assertThat(previous.statusCode()).isEqualTo(308));
		Echo echo = Echo.parse(response.body());
		assertThat(echo.uri()).isEqualTo("/follow?q=1");
		assertThat(echo.header("X-Scheme")).isEqualTo("https");
		assertThat(echo.header("Host")).isEqualTo("127.0.0.1:" + this.port);
	}

	@Test
	void runsOnTheConfiguredPort() {
		assertThat(this.redirectServer.isRunning()).isTrue();
		assertThat(this.redirectServer.address().getPort()).isEqualTo(redirectPort);
	}

	private static RawResponse get(String target, String hostLine) throws IOException {
		String request = "GET " + target + " HTTP/1.1\r\n" + hostLine + "\r\nConnection: close\r\n\r\n";
		return RawHttpClient.send(redirectPort, request, Duration.ofSeconds(5));
	}

}
