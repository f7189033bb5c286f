package io.portao.tls;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.support.FakeBackend;
import io.portao.support.TestCertificates;
import io.portao.support.TestCertificates.Pem;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broken new certificate: the old one keeps being served, and {@code /actuator/health/tls} shows the served
 * certificate and what is wrong with the files, until valid ones arrive.
 */
@SpringBootTest(classes = io.portao.PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0",
				"spring.ssl.bundle.watch.file.quiet-period=" + Reload.QUIET_PERIOD })
@ExtendWith(OutputCaptureExtension.class)
class CertificateHealthIntegrationTests {

	private static final FakeBackend backend = FakeBackend.start("A");

	private static final Path dir = Reload.tempDir();

	private static final Pem initial = TestCertificates.generate(dir, "cert", "localhost");

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		PemBundle.register(registry, backend, () -> initial.certificateFile(), () -> initial.privateKeyFile());
		registry.add("spring.ssl.bundle.pem.web.reload-on-update", () -> "true");
		registry.add("spring.ssl.bundle.pem.web.keystore.verify-keys", () -> "true");
		// A health group naming the component: Boot checks at start-up that every member exists
		// (validate-group-membership), so the component registered at start-up must be there by then.
		registry.add("management.endpoint.health.group.certificate.include", () -> "tls");
		registry.add("management.endpoint.health.group.certificate.show-components", () -> "always");
	}

	@AfterAll
	static void stopBackend() {
		backend.close();
	}

	private String health() throws Exception {
		return health("tls");
	}

	private String health(String path) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/health/" + path)).build(),
				HttpResponse.BodyHandlers.ofString());
		return response.statusCode() + " " + response.body();
	}

	@Test
	void aHealthGroupCanNameTheTlsComponent() throws Exception {
		assertThat(health("certificate")).startsWith("200 ").contains("\"status\":\"UP\"").contains("\"tls\"");
	}

	@Test
	void brokenCertificateKeepsTheServedOneAndIsReportedInHealth(CapturedOutput output) throws Exception {
		X509Certificate served = TlsTestClients.presentedCertificate(this.port, "localhost");
		String healthy = health();
		assertThat(healthy).startsWith("200 ").contains("\"status\":\"UP\"").contains("CN=localhost")
			.contains("\"onDisk\":\"served\"")
			.contains(served.getSerialNumber().toString(16))
			.contains(served.getNotAfter().toInstant().toString());

		Reload.applyAndAwaitFailedReload(output, () -> Files.writeString(initial.certificateFile(),
				"-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n"));

		assertThat(TlsTestClients.presentedCertificate(this.port, "localhost")).isEqualTo(served);
		String broken = awaitHealthContaining("reloadError");
		assertThat(broken).startsWith("200 ").contains("\"status\":\"UP\"").contains("unreadable")
			.contains(served.getSerialNumber().toString(16));

		Pem fixed = TestCertificates.generate(Reload.tempDir(), "fixed", "localhost");
		Files.copy(fixed.privateKeyFile(), initial.privateKeyFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		Files.copy(fixed.certificateFile(), initial.certificateFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		Reload.awaitPresented(this.port, fixed.certificate());
		assertThat(awaitHealthContaining(fixed.certificate().getSerialNumber().toString(16)))
			.doesNotContain("reloadError");
	}

	private String awaitHealthContaining(String text) throws Exception {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
		String health = health();
		while (!health.contains(text) && Instant.now().isBefore(deadline)) {
			Thread.sleep(200);
			health = health();
		}
		return health;
	}

}
