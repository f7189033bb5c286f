package io.portao.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.test.context.DynamicPropertyRegistry;

import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.TestCertificates;

/**
 * The configuration contract of {@code bapi-ssl.conf}: the contract's route to {@code backend}, with TLS from a
 * PEM bundle named {@code web} ({@code server.ssl.bundle: web}).
 */
public final class PemBundle {

	private static final String CERTIFICATE = "spring.ssl.bundle.pem.web.keystore.certificate";

	private static final String PRIVATE_KEY = "spring.ssl.bundle.pem.web.keystore.private-key";

	private PemBundle() {
	}

	static void register(DynamicPropertyRegistry registry, FakeBackend backend, Supplier<Path> certificate,
			Supplier<Path> privateKey) {
		ContractProperties.register(registry, backend);
		registry.add("server.ssl.bundle", () -> "web");
		registry.add(CERTIFICATE, () -> "file:" + certificate.get());
		registry.add(PRIVATE_KEY, () -> "file:" + privateKey.get());
	}

	/**
	 * The TLS part alone, as {@code name=value} lines for {@code pem}'s files ({@code --} before each for a jar's
	 * command line).
	 */
	public static List<String> properties(TestCertificates.Pem pem) {
		return List.of("server.ssl.bundle=web", CERTIFICATE + "=file:" + pem.certificateFile(),
				PRIVATE_KEY + "=file:" + pem.privateKeyFile());
	}

}
