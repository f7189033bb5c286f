package io.portao.nginx;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;

import io.portao.support.ReferenceConfig;

/**
 * The differential test with Portão configured by nothing but what {@code java -jar portao.jar import-nginx} made of
 * the reference {@code conf.d/bapi.conf}: nginx runs the file, the packaged jar runs its translation.
 */
class ImportedConfigDifferentialIntegrationTests extends ImportedNginxDifferential {

	@BeforeAll
	static void startNginxAndImportedPortao() throws Exception {
		started(ImportedReference.start(ReferenceConfig.BAPI, tmp, List.of(backendA.port(), backendB.port()), root(),
				null));
	}

}
