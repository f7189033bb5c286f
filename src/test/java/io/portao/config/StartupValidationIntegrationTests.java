package io.portao.config;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.portao.PortaoApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A bad value stops start-up, before any port is bound, with one line naming the property, the value and what
 * was expected.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupValidationIntegrationTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"spring.cloud.discovery.client.simple.instances.bapis[0].uri=htp:/x | spring.cloud.discovery.client.simple.instances.bapis[0].uri: 'htp:/x' (expected: an absolute http:// or https:// URI with a host and a port",
			"spring.cloud.discovery.client.simple.instances.bapis[0].uri=http://127.0.0.1 | spring.cloud.discovery.client.simple.instances.bapis[0].uri: 'http://127.0.0.1' (expected:",
			"spring.cloud.gateway.server.webflux.httpclient.response-timeout=-5s | spring.cloud.gateway.server.webflux.httpclient.response-timeout: -5s (expected: a duration > 0",
			"spring.cloud.gateway.server.webflux.httpclient.connect-timeout=-1 | spring.cloud.gateway.server.webflux.httpclient.connect-timeout: -1 (expected: a number of milliseconds > 0",
			"portao.upstream.fail-timeout=-10s | portao.upstream.fail-timeout: -10s (expected: a duration > 0",
			"portao.upstream.max-fails=-1 | portao.upstream.max-fails: -1 (expected: >= 0)" })
	void badValueStopsStartUpNamingPropertyValueAndExpectation(String property, String message, CapturedOutput output) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0", "--" + property));
		if (!property.startsWith("spring.cloud.discovery")) {
			args.add("--spring.cloud.discovery.client.simple.instances.bapis[0].uri=http://127.0.0.1:1");
		}
		assertThatThrownBy(() -> SpringApplication.run(PortaoApplication.class, args.toArray(String[]::new)))
			.hasRootCauseInstanceOf(InvalidConfigurationException.class)
			.rootCause()
			.hasMessageStartingWith(message);
		assertThat(output).contains("Invalid configuration: " + message);
	}

}
