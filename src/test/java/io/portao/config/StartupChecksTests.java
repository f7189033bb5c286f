package io.portao.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.cloud.client.discovery.simple.InstanceProperties;
import org.springframework.cloud.gateway.config.HttpClientProperties;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartupChecksTests {

	private static InstanceProperties instance(String uri) {
		InstanceProperties instance = new InstanceProperties();
		instance.setUri(URI.create(uri));
		return instance;
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:8080", "https://app.internal:8443", "HTTP://[::1]:80" })
	void acceptsAbsoluteHttpUrisWithHostAndPort(String uri) {
		assertThatCode(() -> StartupChecks.checkInstances(Map.of("bapis", List.of(instance(uri))))).doesNotThrowAnyException();
	}

	@ParameterizedTest
	@ValueSource(strings = { "htp:/x", "ftp://h:21", "http://h", "/relative", "http://h:0", "http://h:70000" })
	void rejectsAnythingElseNamingTheIndexedProperty(String uri) {
		assertThatThrownBy(() -> StartupChecks.checkInstances(Map.of("bapis", List.of(instance("http://ok:1"), instance(uri)))))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageStartingWith("spring.cloud.discovery.client.simple.instances.bapis[1].uri: '" + uri + "'");
	}

	@Test
	void rejectsNonPositiveClientTimeouts() {
		HttpClientProperties zeroIdle = new HttpClientProperties();
		zeroIdle.getPool().setMaxIdleTime(Duration.ZERO);
		assertThatThrownBy(() -> StartupChecks.checkHttpClient(zeroIdle))
			.hasMessageStartingWith("spring.cloud.gateway.server.webflux.httpclient.pool.max-idle-time: 0s");
		HttpClientProperties zeroConnect = new HttpClientProperties();
		zeroConnect.setConnectTimeout(0);
		assertThatThrownBy(() -> StartupChecks.checkHttpClient(zeroConnect))
			.hasMessageStartingWith("spring.cloud.gateway.server.webflux.httpclient.connect-timeout: 0");
	}

	@Test
	void acceptsSpringsOwnDefaults() {
		assertThatCode(() -> StartupChecks.checkHttpClient(new HttpClientProperties())).doesNotThrowAnyException();
	}

}
