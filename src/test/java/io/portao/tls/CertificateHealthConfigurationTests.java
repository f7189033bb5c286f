package io.portao.tls;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.portao.support.TestCertificates;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code tls} health component is there exactly when the public port serves TLS from a bundle, decided at
 * start-up (no condition, so that Spring AOT's build-time bean definitions serve TLS configurations too).
 */
class CertificateHealthConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(SslAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class))
		.withUserConfiguration(CertificateHealthConfiguration.class, EnableServerProperties.class);

	@Test
	void aCleartextPortHasNoTlsComponent() {
		this.runner.run((context) -> assertThat(context.getBean(HealthContributorRegistry.class)
			.getContributor(CertificateHealthConfiguration.COMPONENT)).isNull());
	}

	@Test
	void aTlsPortHasTheComponentForItsBundle(@TempDir Path dir) {
		this.runner.withPropertyValues(tls(dir)).run((context) -> assertThat(context
			.getBean(HealthContributorRegistry.class)
			.getContributor(CertificateHealthConfiguration.COMPONENT)).isInstanceOf(CertificateHealthIndicator.class));
	}

	@Test
	void aBundleWithTlsTurnedOffHasNoTlsComponent(@TempDir Path dir) {
		this.runner.withPropertyValues(tls(dir)).withPropertyValues("server.ssl.enabled=false")
			.run((context) -> assertThat(context.getBean(HealthContributorRegistry.class)
				.getContributor(CertificateHealthConfiguration.COMPONENT)).isNull());
	}

	private static String[] tls(Path dir) {
		return PemBundle.properties(TestCertificates.generate(dir, "cert", "localhost")).toArray(String[]::new);
	}

	@EnableConfigurationProperties(ServerProperties.class)
	static class EnableServerProperties {

	}

}
