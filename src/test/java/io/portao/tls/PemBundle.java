package io.portao.tls;

import java.nio.file.Path;
import java.util.function.Supplier;

import org.springframework.test.context.DynamicPropertyRegistry;

import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;

/**
 * The configuration contract of {@code bapi-ssl.conf}: the contract's route to {@code backend}, with TLS from a
 * PEM bundle named {@code web} ({@code server.ssl.bundle: web}).
 */
final class PemBundle {

	private PemBundle() {
	}

	static void register(DynamicPropertyRegistry registry, FakeBackend backend, Supplier<Path> certificate,
			Supplier<Path> privateKey) {
		ContractProperties.register(registry, backend);
		registry.add("server.ssl.bundle", () -> "web");
		registry.add("spring.ssl.bundle.pem.web.keystore.certificate", () -> "file:" + certificate.get());
		registry.add("spring.ssl.bundle.pem.web.keystore.private-key", () -> "file:" + privateKey.get());
	}

}
