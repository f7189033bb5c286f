package io.portao.nginx;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;

import io.portao.support.RawHttpClient;
import io.portao.support.ReferenceConfig;
import io.portao.support.TestCertificates;

/**
 * The differential test over TLS: nginx runs the reference {@code conf.d/bapi-ssl.conf} ({@code ssl on}, PEM
 * certificate and key), the packaged jar what {@code import-nginx} made of it, both with the same certificate; every
 * request goes through a real TLS handshake to each.
 */
class ImportedTlsConfigDifferentialIntegrationTests extends ImportedNginxDifferential {

	@BeforeAll
	static void startNginxAndImportedPortao() throws Exception {
		TestCertificates.Pem tls = TestCertificates.generate(Files.createDirectories(tmp.resolve("tls")), "cert",
				"localhost");
		started(ImportedReference.start(ReferenceConfig.BAPI_SSL, tmp, List.of(backendA.port(), backendB.port()),
				root(), tls));
	}

	@Override
	Answer answer(int port, String request) throws IOException {
		return Answer.of(RawHttpClient.sendTls(port, request, Duration.ofSeconds(10)), port, request);
	}

}
