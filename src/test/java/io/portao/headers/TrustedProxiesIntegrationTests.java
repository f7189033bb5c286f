package io.portao.headers;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code portao.trusted-proxies: 127.0.0.1/32}: from 127.0.0.1 (a trusted proxy) the client is the rightmost
 * untrusted {@code X-Forwarded-For} address and the list is forwarded with the peer appended; from ::1 (not
 * trusted) the client-sent list is replaced by the peer. Other forwarded headers are never passed on.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0", "portao.trusted-proxies=127.0.0.1/32" })
class TrustedProxiesIntegrationTests {

	static final FakeBackend backend = FakeBackend.start("backend-a");

	static final String SPOOFING = "GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 6.6.6.6, 1.2.3.4\r\n"
			+ "X-Real-IP: 9.9.9.9\r\nX-Forwarded-Host: evil.example\r\nForwarded: for=7.7.7.7\r\nConnection: close\r\n\r\n";

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, backend);
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() {
		backend.close();
	}

	@Test
	void trustedPeerPassesTheClientBehindIt() throws Exception {
		Echo echo = Echo.parse(RawHttpClient.send(this.port, SPOOFING, Duration.ofSeconds(10)).body());
		assertThat(echo.header("x-real-ip")).isEqualTo("1.2.3.4");
		assertThat(echo.header("x-forwarded-for")).isEqualTo("6.6.6.6, 1.2.3.4, 127.0.0.1");
		assertThat(echo.headers()).doesNotContainKeys("x-forwarded-host", "forwarded");
	}

	@Test
	void untrustedPeerIsTheClientWhateverItClaims() throws Exception {
		InetAddress ipv6Loopback = Ipv6Loopback.require();
		String answer;
		try (Socket socket = new Socket(ipv6Loopback, this.port)) {
			socket.setSoTimeout(10000);
			OutputStream out = socket.getOutputStream();
			out.write(SPOOFING.getBytes(StandardCharsets.ISO_8859_1));
			InputStream in = socket.getInputStream();
			answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		Echo echo = Echo.parse(answer.substring(answer.indexOf("\r\n\r\n") + 4));
		assertThat(echo.header("x-real-ip")).isEqualTo("::1");
		assertThat(echo.header("x-forwarded-for")).isEqualTo("::1");
		assertThat(echo.headers()).doesNotContainKeys("x-forwarded-host", "forwarded");
	}

}
