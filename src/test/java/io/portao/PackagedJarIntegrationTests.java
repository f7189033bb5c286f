package io.portao;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.FreePorts;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar, run as a user runs it ({@code java -jar target/portao-*.jar} with the contract YAML added by
 * {@code --spring.config.additional-location}), serves; a bad value stops it with one line naming it.
 */
class PackagedJarIntegrationTests {

	static final FakeBackend a = FakeBackend.start("jar-a");

	static final FakeBackend b = FakeBackend.start("jar-b");

	@AfterAll
	static void stopBackends() {
		a.close();
		b.close();
	}

	static Path jar() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter(f -> f.getFileName().toString().matches("portao-.*\\.jar")).findFirst()
				.orElseThrow(() -> new IllegalStateException("run after 'package': no target/portao-*.jar"));
		}
	}

	private static Process launch(Path dir, String yaml) throws IOException {
		Path config = dir.resolve("contract.yml");
		Files.writeString(config, yaml);
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", jar().toString(), "--spring.config.additional-location=file:" + config,
				"--management.server.port=" + FreePorts.next()));
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
	}

	@Test
	void servesTheConfigurationContract(@TempDir Path dir) throws Exception {
		int port = FreePorts.next();
		Process gateway = launch(dir, ContractProperties.yaml(port, List.of(a.uri(), b.uri())));
		try {
			awaitListening(port, gateway, dir);
			GatewayClient client = new GatewayClient(port);
			String first = client.get("/").headers().firstValue("Server").orElseThrow();
			String second = client.get("/").headers().firstValue("Server").orElseThrow();
			assertThat(List.of(first, second)).containsExactlyInAnyOrder("jar-a", "jar-b");
		}
		finally {
			gateway.destroy();
			assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
		}
	}

	@Test
	void badInstanceUriStopsStartUpWithOneLineNamingIt(@TempDir Path dir) throws Exception {
		String log = failedStart(dir, ContractProperties.yaml(FreePorts.next(), List.of(a.uri(), "htp:/x")));
		assertThat(log).contains("Invalid configuration: spring.cloud.discovery.client.simple.instances.bapis[1].uri: "
				+ "'htp:/x' (expected: an absolute http:// or https:// URI with a host and a port");
	}

	@Test
	void negativeTimeoutStopsStartUpWithOneLineNamingIt(@TempDir Path dir) throws Exception {
		String yaml = ContractProperties.yaml(FreePorts.next(), List.of(a.uri()))
				+ "portao:\n  upstream:\n    fail-timeout: -10s\n";
		assertThat(failedStart(dir, yaml))
			.contains("Invalid configuration: portao.upstream.fail-timeout: -10s (expected: a duration > 0");
	}

	private static String failedStart(Path dir, String yaml) throws Exception {
		Process gateway = launch(dir, yaml);
		try {
			assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).as("start-up stops by itself").isTrue();
			assertThat(gateway.exitValue()).isNotZero();
			return Files.readString(dir.resolve("out.log"), StandardCharsets.UTF_8);
		}
		finally {
			gateway.destroyForcibly();
		}
	}

	private static void awaitListening(int port, Process gateway, Path dir) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			assertThat(gateway.isAlive()).as("gateway alive: %s", Files.readString(dir.resolve("out.log"))).isTrue();
			try (Socket socket = new Socket("127.0.0.1", port)) {
				return;
			}
			catch (IOException notYet) {
				Thread.sleep(200);
			}
		}
		throw new AssertionError("gateway did not listen on " + port + " within 60 s");
	}

}
