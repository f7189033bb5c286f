package io.portao.tls;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;

import io.portao.support.FakeBackend;
import io.portao.support.TestCertificates;
import io.portao.support.TestCertificates.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Certificate renewal without a restart (what {@code nginx -s reload} did): Boot's
 * {@code spring.ssl.bundle.pem.<name>.reload-on-update} with PEM files replaced in place.
 */
@SpringBootTest(classes = io.portao.PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0",
				"spring.ssl.bundle.watch.file.quiet-period=" + Reload.QUIET_PERIOD })
@ExtendWith(OutputCaptureExtension.class)
class CertificateReloadIntegrationTests {

	private static final FakeBackend backend = FakeBackend.start("A");

	private static final Path dir = Reload.tempDir();

	private static final Pem initial = TestCertificates.generate(dir, "cert", "localhost");

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		PemBundle.register(registry, backend, () -> initial.certificateFile(), () -> initial.privateKeyFile());
		registry.add("spring.ssl.bundle.pem.web.reload-on-update", () -> "true");
		registry.add("spring.ssl.bundle.pem.web.keystore.verify-keys", () -> "true");
	}

	@AfterAll
	static void stopBackend() {
		backend.close();
	}

	@Test
	void newHandshakesPresentACertificateReplacedInPlace() throws Exception {
		Pem renewed = TestCertificates.generate(Reload.tempDir(), "renewed", "localhost");

		overwrite(renewed);

		Reload.awaitPresented(this.port, renewed.certificate());
		assertThat(TlsTestClients.presentedCertificate(this.port, "localhost")).isEqualTo(renewed.certificate());
		assertThat(proxiedStatus(renewed.certificate())).isEqualTo(200);
	}

	@Test
	void anUnreadableCertificateKeepsTheCurrentOneUntilAValidOneArrives(CapturedOutput output) throws Exception {
		X509Certificate current = TlsTestClients.presentedCertificate(this.port, null);

		Reload.applyAndAwaitFailedReload(output, () -> Files.writeString(initial.certificateFile(),
				"-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n"));

		assertThat(TlsTestClients.presentedCertificate(this.port, null)).isEqualTo(current);
		assertThat(proxiedStatus(current)).isEqualTo(200);

		Pem fixed = TestCertificates.generate(Reload.tempDir(), "fixed", "localhost");
		overwrite(fixed);
		Reload.awaitPresented(this.port, fixed.certificate());
	}

	@Test
	void newHandshakesPresentACertificateRenamedOverTheOldFiles() throws Exception {
		Pem renewed = TestCertificates.generate(dir, "next", "localhost");

		Files.move(renewed.privateKeyFile(), initial.privateKeyFile(), StandardCopyOption.ATOMIC_MOVE);
		Files.move(renewed.certificateFile(), initial.certificateFile(), StandardCopyOption.ATOMIC_MOVE);

		Reload.awaitPresented(this.port, renewed.certificate());
	}

	@Test
	void connectionsOpenBeforeTheReloadKeepTheirSession() throws Exception {
		X509Certificate current = TlsTestClients.presentedCertificate(this.port, null);
		Pem renewed = TestCertificates.generate(Reload.tempDir(), "renewed", "localhost");
		HttpClient client = HttpClient.newBuilder()
			.sslContext(TlsTestClients.trusting(current, renewed.certificate()))
			.version(HttpClient.Version.HTTP_1_1)
			.build();
		assertThat(peerCertificate(client)).isEqualTo(current);

		overwrite(renewed);
		Reload.awaitPresented(this.port, renewed.certificate());

		assertThat(peerCertificate(client)).isEqualTo(current);
	}

	private java.security.cert.Certificate peerCertificate(HttpClient client) throws Exception {
		HttpResponse<Void> response = client.send(
				HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + this.port + "/keep-alive")).build(),
				HttpResponse.BodyHandlers.discarding());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.sslSession().orElseThrow().getPeerCertificates()[0];
	}

	// Written one file at a time, a renewal can leave a new certificate next to the old key for longer than the
	// quiet period. Without keystore.verify-keys Boot loads that pair and every handshake fails until the key
	// arrives ("Invalid CertificateVerify signature" on the client); with it the pair is rejected and the current
	// one keeps serving.
	@Test
	void withVerifyKeysACertificateWithoutItsKeyKeepsTheCurrentPairServing(CapturedOutput output) throws Exception {
		X509Certificate current = TlsTestClients.presentedCertificate(this.port, null);
		Pem renewed = TestCertificates.generate(Reload.tempDir(), "halfway", "localhost");

		Reload.applyAndAwaitFailedReload(output,
				() -> Files.write(initial.certificateFile(), Files.readAllBytes(renewed.certificateFile())));

		assertThat(TlsTestClients.presentedCertificate(this.port, null)).isEqualTo(current);
		assertThat(proxiedStatus(current)).isEqualTo(200);

		Files.write(initial.privateKeyFile(), Files.readAllBytes(renewed.privateKeyFile()));
		Reload.awaitPresented(this.port, renewed.certificate());
		assertThat(proxiedStatus(renewed.certificate())).isEqualTo(200);
	}

	// Same files, same inodes, new content: what "cp new.pem cert.pem" or a renewal client writing in place does.
	private static void overwrite(Pem source) throws IOException {
		Files.write(initial.privateKeyFile(), Files.readAllBytes(source.privateKeyFile()));
		Files.write(initial.certificateFile(), Files.readAllBytes(source.certificateFile()));
	}

	private int proxiedStatus(X509Certificate trusted) throws Exception {
		HttpClient client = TlsTestClients.httpClient(trusted, HttpClient.Version.HTTP_1_1);
		return client
			.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + this.port + "/after-reload")).build(),
					HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

}
