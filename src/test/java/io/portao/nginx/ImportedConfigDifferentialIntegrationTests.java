package io.portao.nginx;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.portao.support.ReferenceConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The differential test with Portão configured by nothing but what {@code java -jar portao.jar import-nginx} made of
 * the reference {@code conf.d/bapi.conf}: nginx runs the file, the packaged jar runs its translation.
 */
class ImportedConfigDifferentialIntegrationTests extends NginxDifferential {

	static ImportedReference started;

	@BeforeAll
	static void startNginxAndImportedPortao() throws Exception {
		started = ImportedReference.start(ReferenceConfig.BAPI, tmp, List.of(backendA.port(), backendB.port()), root(),
				null);
		nginx = started.nginx();
	}

	@AfterAll
	static void stopPortao() throws InterruptedException {
		if (started != null) {
			started.portao().close();
		}
	}

	@Override
	int portaoPort() {
		return started.port();
	}

	@Test
	void theTranslationIsComplete() {
		assertThat(started.imported().err()).isEqualTo("import-nginx: translation complete\n");
	}

}
