package io.portao.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.netty.handler.codec.http.HttpVersion;
import io.portao.support.FakeBackend;
import io.portao.support.FakeBackend.Echo;
import io.portao.support.RawHttpClient;
import io.portao.support.RawHttpClient.RawResponse;
import io.portao.support.TestCertificates;
import io.portao.support.TestCertificates.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClientResponse;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * nginx {@code listen 443; ssl on; ssl_certificate ...}: TLS from a PEM bundle, HTTP/1.1 and HTTP/2 (ALPN) over
 * it, and the proxy headers as the instance sees them behind TLS.
 */
@SpringBootTest(classes = io.portao.PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0" })
class TlsIntegrationTests {

	private static final FakeBackend backend = FakeBackend.start("A");

	private static final Pem pem = TestCertificates.generateInTempDirectory("portao-tls");

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private ApplicationContext context;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		PemBundle.register(registry, backend, () -> pem.certificateFile(), () -> pem.privateKeyFile());
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
	void handshakePresentsTheCertificateFromThePemBundle() throws Exception {
		assertThat(TlsTestClients.presentedCertificate(this.port, null)).isEqualTo(pem.certificate());
		assertThat(TlsTestClients.presentedCertificate(this.port, "localhost")).isEqualTo(pem.certificate());
	}

	@Test
	void http11OverTlsIsProxiedWithHttpsSchemeHostAndRealIp() throws Exception {
		HttpClient client = TlsTestClients.httpClient(pem.certificate(), HttpClient.Version.HTTP_1_1);
		HttpResponse<String> response = client.send(
				HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + this.port + "/tls?a=1")).build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
		assertThat(response.sslSession().orElseThrow().getPeerCertificates()[0]).isEqualTo(pem.certificate());
		Echo echo = Echo.parse(response.body());
		assertThat(echo.uri()).isEqualTo("/tls?a=1");
		assertThat(echo.header("X-Scheme")).isEqualTo("https");
		assertThat(echo.header("Host")).isEqualTo("127.0.0.1:" + this.port);
		assertThat(echo.header("X-Real-IP")).isEqualTo("127.0.0.1");
		assertThat(backend.received()).hasSize(1);
	}

	@Test
	void h2IsNegotiatedWithAlpnAndAuthorityBecomesTheHostHeader() {
		// The socket goes to 127.0.0.1 while the URI names localhost: the Host the instance sees can only come from
		// the client's :authority (RFC 9113 section 8.3.1), not from the address it connected to.
		HttpClientResponse[] head = new HttpClientResponse[1];
		String body = reactor.netty.http.client.HttpClient.create()
			.protocol(HttpProtocol.H2)
			.remoteAddress(() -> new InetSocketAddress("127.0.0.1", this.port))
			.secure((spec) -> spec.sslContext(Http2SslContextSpec.forClient()
				.configure((builder) -> builder.trustManager(pem.certificate()))))
			.get()
			.uri("https://localhost:" + this.port + "/h2?b=2")
			.responseSingle((response, content) -> {
				head[0] = response;
				return content.asString();
			})
			.block(Duration.ofSeconds(10));

		assertThat(head[0].status().code()).isEqualTo(200);
		assertThat(head[0].version()).isEqualTo(HttpVersion.valueOf("HTTP/2.0"));
		Echo echo = Echo.parse(body);
		assertThat(echo.uri()).isEqualTo("/h2?b=2");
		assertThat(echo.header("Host")).isEqualTo("localhost:" + this.port);
		assertThat(echo.header("X-Scheme")).isEqualTo("https");
		assertThat(echo.header("X-Real-IP")).isEqualTo("127.0.0.1");
	}

	@Test
	void jdkClientPreferringHttp2GetsHttp2() throws Exception {
		HttpClient client = TlsTestClients.httpClient(pem.certificate(), HttpClient.Version.HTTP_2);
		HttpResponse<String> response = client.send(
				HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + this.port + "/jdk-h2")).build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
		assertThat(Echo.parse(response.body()).header("Host")).isEqualTo("127.0.0.1:" + this.port);
	}

	@Test
	void plaintextOnTheTlsPortIsNeverProxiedAndTheGatewayKeepsServing() throws Exception {
		RawResponse plain = RawHttpClient.send(this.port,
				"GET /plain HTTP/1.1\r\nHost: 127.0.0.1:" + this.port + "\r\nConnection: close\r\n\r\n",
				Duration.ofSeconds(3));

		assertThat(plain.status()).isNotEqualTo(200);
		assertThat(backend.requestCount()).isZero();
		assertThatCode(this::http11OverTlsIsProxiedWithHttpsSchemeHostAndRealIp).doesNotThrowAnyException();
	}

	@Test
	void withoutRedirectPortThereIsNoPlainHttpServer() {
		assertThat(this.context.getBeansOfType(HttpRedirectServer.class)).isEmpty();
	}

	@Test
	void managementPortStaysPlainHttpOnLoopback() throws IOException {
		RawResponse health = RawHttpClient.send(this.managementPort,
				"GET /actuator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", Duration.ofSeconds(5));

		assertThat(health.status()).isEqualTo(200);
	}

}
