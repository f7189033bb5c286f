package io.portao.tls;

import io.portao.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;

import static org.assertj.core.api.Assertions.assertThat;

class TlsConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(TlsConfiguration.class)
		.withBean(EnableProperties.class);

	@Test
	void redirectPortIsOffByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(HttpRedirectServer.class);
			assertThat(context.getBean(TlsProperties.class).redirectPort()).isNull();
		});
	}

	@Test
	void redirectPortWithoutTlsFailsStartUp() {
		this.runner.withPropertyValues("portao.tls.redirect-port=8080").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationException.class)
				.hasMessage("portao.tls.redirect-port: 8080 (expected: unset unless TLS is on: set server.ssl.bundle"
						+ " (a spring.ssl.bundle.pem.<name>) as well)");
		});
	}

	@Test
	void redirectPortWithTlsExplicitlyDisabledFailsStartUp() {
		this.runner.withPropertyValues("portao.tls.redirect-port=8080", "server.ssl.bundle=web", "server.ssl.enabled=false")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationException.class));
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "-1", "65536" })
	void redirectPortOutOfRangeFailsStartUp(String port) {
		this.runner.withPropertyValues("portao.tls.redirect-port=" + port).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationException.class)
				.hasMessage("portao.tls.redirect-port: " + port + " (expected: a port in 1..65535, or unset)");
		});
	}

	@Test
	void emptyRedirectPortFailsStartUp() {
		this.runner.withPropertyValues("portao.tls.redirect-port=", "server.ssl.bundle=web")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationException.class)
				.hasMessageStartingWith("portao.tls.redirect-port: ''"));
	}

	@EnableConfigurationProperties({ TlsProperties.class, ServerProperties.class })
	static class EnableProperties {

	}

}
