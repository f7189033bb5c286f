package io.portao.upstream;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;

import io.portao.PortaoApplication;
import io.portao.config.InvalidConfigurationException;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A bad upstream value, in the defaults block, in one upstream's block or in an instance's metadata, stops
 * start-up with one line naming the property, the value and what was expected.
 */
class UpstreamStartupValidationIntegrationTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"portao.upstream.max-ejected-percent=120 | portao.upstream.max-ejected-percent: 120 (expected: between 0 and 100)",
			"portao.upstreams.bapis.slow-start=-5s | portao.upstreams.bapis.slow-start: -5s (expected: a duration >= 0",
			"portao.upstreams.bapis.policy=fastest | portao.upstreams.bapis.policy: 'fastest' (expected: one of round-robin",
			"spring.cloud.discovery.client.simple.instances.bapis[0].metadata.weight=heavy | metadata of bapis instance 127.0.0.1:1: weight: 'heavy' (expected: a whole number from 1 to 1000)" })
	void badValueStopsStartUp(String property, String message) {
		List<String> args = List.of("--server.port=0", "--management.server.port=0",
				"--spring.cloud.discovery.client.simple.instances.bapis[0].uri=http://127.0.0.1:1", "--" + property);
		assertThatThrownBy(() -> SpringApplication.run(PortaoApplication.class, args.toArray(String[]::new)))
			.hasRootCauseInstanceOf(InvalidConfigurationException.class)
			.rootCause()
			.hasMessageStartingWith(message);
	}

}
