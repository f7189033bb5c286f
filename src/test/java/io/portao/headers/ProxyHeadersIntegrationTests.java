package io.portao.headers;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.FakeBackend.Echo;
import io.portao.support.Ipv6Loopback;
import io.portao.support.RawHttpClient;
import io.portao.support.RawHttpClient.RawResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The headers of the reference nginx {@code location /}: {@code Host $http_host}, {@code X-Real-IP},
 * {@code X-Scheme}, {@code proxy_pass_header Server}, {@code proxy_redirect off}, with the URI passed as sent.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0" })
class ProxyHeadersIntegrationTests {

	static final FakeBackend backend = FakeBackend.start("backend-a");

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, backend);
	}

	@LocalServerPort
	int port;

	@AfterEach
	void reset() {
		backend.headers(Map.of());
	}

	@AfterAll
	static void stop() {
		backend.close();
	}

	private RawResponse send(String requestLineTarget, String... headers) throws Exception {
		StringBuilder request = new StringBuilder("GET " + requestLineTarget + " HTTP/1.1\r\n");
		for (String header : headers) {
			request.append(header).append("\r\n");
		}
		request.append("Connection: close\r\n\r\n");
		return RawHttpClient.send(this.port, request.toString(), Duration.ofSeconds(10));
	}

	@Test
	void hostIsPassedExactlyAsTheClientSentItWithItsPort() throws Exception {
		RawResponse response = send("/", "Host: bapih.bis.com.br:8888");
		assertThat(response.status()).isEqualTo(200);
		assertThat(Echo.parse(response.body()).header("host")).isEqualTo("bapih.bis.com.br:8888");
	}

	@Test
	void realIpAndSchemeAreSetAndReplaceWhatTheClientSent() throws Exception {
		Echo echo = Echo.parse(send("/", "Host: h", "X-Real-IP: 6.6.6.6", "X-Scheme: https").body());
		assertThat(echo.header("x-real-ip")).isEqualTo("127.0.0.1");
		assertThat(echo.header("x-scheme")).isEqualTo("http");
	}

	@Test
	void realIpOfAnIpv6ClientIsWrittenLikeNginx() throws Exception {
		InetAddress ipv6Loopback = Ipv6Loopback.require();
		try (Socket socket = new Socket(ipv6Loopback, this.port)) {
			socket.setSoTimeout(10000);
			socket.getOutputStream()
				.write("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(response).contains("x-real-ip: ::1\n");
		}
	}

	@Test
	void clientSentForwardedHeadersAreNotTrusted() throws Exception {
		Echo echo = Echo.parse(send("/", "Host: h", "X-Forwarded-For: 1.2.3.4", "X-Forwarded-Host: evil.example",
				"X-Forwarded-Proto: https", "Forwarded: for=1.2.3.4;host=evil.example").body());
		assertThat(echo.headers()).doesNotContainKeys("x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
				"forwarded");
	}

	@Test
	void upstreamServerAndLocationReachTheClientUnchanged() throws Exception {
		String location = "http://127.0.0.1:" + backend.port() + "/login?next=%2Fhome";
		backend.headers(Map.of("Location", location));
		RawResponse response = send("/", "Host: bapih.bis.com.br:8888");
		assertThat(response.header("server")).isEqualTo("backend-a");
		assertThat(response.header("location")).isEqualTo(location);
	}

	@Test
	void hopByHopHeadersAndThoseNamedInConnectionAreNotForwarded() throws Exception {
		String request = "GET / HTTP/1.1\r\nHost: h\r\nConnection: close, X-Secret\r\nX-Secret: s3cr3t\r\n"
				+ "Keep-Alive: timeout=5\r\nProxy-Authorization: Basic Zm9vOmJhcg==\r\nTE: trailers\r\n\r\n";
		Echo echo = Echo.parse(RawHttpClient.send(this.port, request, Duration.ofSeconds(10)).body());
		assertThat(echo.headers()).doesNotContainKeys("x-secret", "keep-alive", "proxy-authorization", "te");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/a%2Fb", "/a;jsessionid=1/b;x=y", "/caf%C3%A9/%E2%82%AC", "/search?q=%E2%82%AC&x=1+2",
			"/x?a=b&a=c&empty=", "/%7Euser/file%20name.txt", "/p?redirect=http%3A%2F%2Fx%2Fy", "/a%252Fb" })
	void pathAndQueryArePassedByteForByte(String target) throws Exception {
		RawResponse response = send(target, "Host: h");
		assertThat(response.status()).isEqualTo(200);
		assertThat(Echo.parse(response.body()).uri()).isEqualTo(target);
	}

}
