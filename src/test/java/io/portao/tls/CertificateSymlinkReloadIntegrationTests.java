package io.portao.tls;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.portao.support.FakeBackend;
import io.portao.support.TestCertificates;
import io.portao.support.TestCertificates.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Certificate renewal with the PEM files mounted from a Kubernetes Secret (cert-manager's usual delivery): the
 * files are symlinks through {@code ..data}, and an update swaps that link instead of writing the files.
 */
@SpringBootTest(classes = io.portao.PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0",
				"spring.ssl.bundle.watch.file.quiet-period=" + Reload.QUIET_PERIOD })
class CertificateSymlinkReloadIntegrationTests {

	private static final FakeBackend backend = FakeBackend.start("A");

	private static final KubernetesSecretVolume volume = KubernetesSecretVolume.create(
			Reload.tempDir(),
			TestCertificates.generate(Reload.tempDir(), "initial", "localhost"));

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		PemBundle.register(registry, backend, () -> volume.certificate(), () -> volume.privateKey());
		registry.add("spring.ssl.bundle.pem.web.reload-on-update", () -> "true");
	}

	@AfterAll
	static void stopBackend() {
		backend.close();
	}

	// Twice: the second swap proves the watch survives the first one and the deletion of the version it watched.
	@Test
	void everyDataLinkSwapIsPickedUpByNewHandshakes() throws Exception {
		for (String name : new String[] { "first-renewal", "second-renewal" }) {
			Pem renewed = TestCertificates.generate(Reload.tempDir(), name, "localhost");

			volume.update(renewed);

			Reload.awaitPresented(this.port, renewed.certificate());
			HttpClient client = TlsTestClients.httpClient(renewed.certificate(), HttpClient.Version.HTTP_1_1);
			HttpResponse<Void> response = client.send(
					HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + this.port + "/" + name)).build(),
					HttpResponse.BodyHandlers.discarding());
			assertThat(response.statusCode()).isEqualTo(200);
		}
	}

}
