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
import io.portao.support.ReferenceConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The differential test with Portão configured by nothing but what {@code java -jar portao.jar import-nginx} made of
 * the reference {@code conf.d/bapi.conf}: nginx runs the file, the packaged jar runs its translation.
 */
class ImportedConfigDifferentialIntegrationTests extends NginxDifferential {

	static int portaoPort;

	static PortaoJar portao;

	static PortaoJar.Run imported;

	@BeforeAll
	static void startNginxAndImportedPortao() throws Exception {
		Path dir = Files.createDirectories(tmp.resolve("imported"));
		List<Integer> backends = List.of(backendA.port(), backendB.port());
		int nginxPort = FreePorts.next();
		nginx = NginxProcess.startSite(Files.createDirectories(tmp.resolve("nginx")),
				ReferenceConfig.forTest(ReferenceConfig.BAPI, nginxPort, backends, root(), null), nginxPort);
		portaoPort = FreePorts.next();
		Path conf = Files.writeString(dir.resolve("bapi.conf"),
				ReferenceConfig.forTest(ReferenceConfig.BAPI, portaoPort, backends, root(), null));
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

	@Test
	void theTranslationIsComplete() {
		assertThat(imported.err()).isEqualTo("import-nginx: translation complete\n");
	}

}
