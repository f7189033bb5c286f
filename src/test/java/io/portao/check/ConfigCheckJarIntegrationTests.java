package io.portao.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.portao.support.FreePorts;
import io.portao.support.PackagedJar;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar target/portao-*.jar check --spring.config.additional-location=file:...} as a user runs it:
 * only the result lines on standard output and error together (no banner, no log), exit code 0 or 1, and the JVM
 * ends by itself.
 */
class ConfigCheckJarIntegrationTests {

	@TempDir
	Path dir;

	@Test
	void fineConfigurationIsOkAndExitsZero() throws Exception {
		CheckedConfig config = new CheckedConfig(this.dir, FreePorts.next(), FreePorts.next());
		assertThat(run(config.write())).isEqualTo(new CheckedConfig.Result(0, List.of("configuration ok")));
	}

	@Test
	void faultyConfigurationPrintsEachProblemAndExitsOne() throws Exception {
		CheckedConfig config = new CheckedConfig(this.dir, FreePorts.next(), FreePorts.next());
		config.properties.put("server.port", "eighty");
		config.properties.put("spring.cloud.discovery.client.simple.instances.bapis[0].uri", "htp:/x");
		assertThat(run(config.write())).isEqualTo(new CheckedConfig.Result(1, List.of(
				"server.port: 'eighty' (expected: an integer)",
				"spring.cloud.discovery.client.simple.instances.bapis[0].uri: 'htp:/x' (expected: an absolute http:// "
						+ "or https:// URI with a host and a port, e.g. http://127.0.0.1:8080)")));
	}

	private CheckedConfig.Result run(Path config) throws Exception {
		Path out = this.dir.resolve("out.txt");
		Process check = new ProcessBuilder(PackagedJar.command("check", "--spring.config.additional-location=file:" + config))
			.redirectErrorStream(true).redirectOutput(out.toFile()).start();
		try {
			assertThat(check.waitFor(120, TimeUnit.SECONDS)).as("check ends by itself").isTrue();
			return new CheckedConfig.Result(check.exitValue(), Files.readAllLines(out));
		}
		finally {
			check.destroyForcibly();
		}
	}

}
