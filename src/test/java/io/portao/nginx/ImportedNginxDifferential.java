package io.portao.nginx;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The differential test with Portão configured by nothing but what {@code import-nginx} made of the reference file
 * nginx runs ({@link ImportedReference}); each subclass starts one reference file.
 */
abstract class ImportedNginxDifferential extends NginxDifferential {

	static ImportedReference started;

	static void started(ImportedReference reference) {
		started = reference;
		nginx = reference.nginx();
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
