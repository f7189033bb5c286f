package io.portao.nginx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.portao.support.FreePorts;
import io.portao.support.NginxProcess;
import io.portao.support.PortaoJar;
import io.portao.support.RawHttpClient;
import io.portao.support.ReferenceConfig;
import io.portao.support.TestCertificates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The differential test over TLS: nginx runs the reference {@code conf.d/bapi-ssl.conf} ({@code ssl on}, PEM
 * certificate and key), the packaged jar what {@code import-nginx} made of it, both with the same certificate; every
 * request goes through a real TLS handshake to each.
 */
class ImportedTlsConfigDifferentialIntegrationTests extends NginxDifferential {

	static int portaoPort;

	static PortaoJar portao;

	static PortaoJar.Run imported;

	@BeforeAll
	static void startNginxAndImportedPortao() throws Exception {
		Path dir = Files.createDirectories(tmp.resolve("imported"));
		List<Integer> backends = List.of(backendA.port(), backendB.port());
		TestCertificates.Pem tls = TestCertificates.generate(Files.createDirectories(tmp.resolve("tls")), "cert",
				"localhost");
		int nginxPort = FreePorts.next();
		nginx = NginxProcess.startSite(Files.createDirectories(tmp.resolve("nginx")),
				ReferenceConfig.forTest(ReferenceConfig.BAPI_SSL, nginxPort, backends, root(), tls), nginxPort);
		portaoPort = FreePorts.next();
		Path conf = Files.writeString(dir.resolve("bapi-ssl.conf"),
				ReferenceConfig.forTest(ReferenceConfig.BAPI_SSL, portaoPort, backends, root(), tls));
		Path yaml = dir.resolve("application.yml");
		imported = PortaoJar.run(dir, List.of("import-nginx", "-o", yaml.toString(), conf.toString()),
				Duration.ofSeconds(60));
		assertThat(imported.exitCode()).as("import-nginx exit code; stderr: %s", imported.err()).isZero();
		portao = PortaoJar.start(dir, List.of("--spring.config.additional-location=file:" + yaml,
				"--management.server.port=" + FreePorts.next()), portaoPort);
	}

	@AfterAll
	static void stopPortao() throws InterruptedException {
		if (portao != null) {
			portao.close();
		}
	}

	@Override
	int portaoPort() {
		return portaoPort;
	}

	@Override
	Answer answer(int port, String request) throws java.io.IOException {
		return Answer.of(RawHttpClient.sendTls(port, request, Duration.ofSeconds(10)), port, request);
	}

	@Test
	void theTranslationIsComplete() {
		assertThat(imported.err()).isEqualTo("import-nginx: translation complete\n");
	}

}
