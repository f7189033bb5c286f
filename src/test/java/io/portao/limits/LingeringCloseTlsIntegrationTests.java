package io.portao.limits;

import java.net.InetSocketAddress;
import java.time.Duration;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.limits.UploadFirstClient.Outcome;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.TestCertificates;
import io.portao.support.TestCertificates.Pem;
import io.portao.tls.TlsTestClients;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lingering close over TLS (HTTP/1.1, no ALPN): the gateway sends its {@code close_notify} after the answer,
 * as nginx's {@code SSL_shutdown} before it lingers, and keeps reading what the client still sends (below TLS, the
 * records dropped undecrypted); the client reads the {@code 413} and then the end of the stream. Both TLS versions,
 * since the engines' half-close differs between them.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0" })
class LingeringCloseTlsIntegrationTests {

	static final long MIB = 1024 * 1024;

	static final FakeBackend backend = FakeBackend.start("backend-a");

	static final Pem pem = TestCertificates.generateInTempDirectory("portao-linger-tls");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, backend);
		registry.add("server.ssl.bundle", () -> "web");
		registry.add("spring.ssl.bundle.pem.web.keystore.certificate", () -> "file:" + pem.certificateFile());
		registry.add("spring.ssl.bundle.pem.web.keystore.private-key", () -> "file:" + pem.privateKeyFile());
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() {
		backend.close();
	}

	@ParameterizedTest(name = "{0}, {1} MiB, chunked: {2}")
	@CsvSource({ "TLSv1.3, 5, false", "TLSv1.3, 65, true", "TLSv1.2, 5, false", "TLSv1.2, 65, true" })
	void wholeBodyFirstClientReads413ThenTheEndOfTheStream(String protocol, int mib, boolean chunked)
			throws Exception {
		try (SSLSocket socket = (SSLSocket) TlsTestClients.trusting(pem.certificate())
			.getSocketFactory()
			.createSocket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
			socket.setEnabledProtocols(new String[] { protocol });
			socket.startHandshake();
			String head = "POST /upload HTTP/1.1\r\nHost: h\r\n"
					+ (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + mib * MIB + "\r\n") + "\r\n";

			Outcome outcome = UploadFirstClient.upload(socket, head, mib * MIB, chunked, Duration.ofSeconds(20));

			assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
			assertThat(outcome.writeError()).as("the whole body was written: %s", outcome).isNull();
			assertThat(outcome.status()).as(outcome.toString()).isEqualTo(413);
			assertThat(outcome.body()).contains("413 Request Entity Too Large");
			assertThat(outcome.eof()).as("the end of the stream after the answer: %s", outcome).isTrue();
		}
		assertThat(backend.received()).isEmpty();
	}

}
