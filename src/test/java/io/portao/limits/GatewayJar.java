package io.portao.limits;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.portao.support.ContractProperties;
import io.portao.support.FreePorts;

/**
 * The packaged jar as a child process (for a real SIGTERM, and to keep its file descriptors and memory apart from
 * the test's): {@code java -jar target/portao-*.jar} with the contract YAML plus {@code extraYaml}.
 */
final class GatewayJar implements AutoCloseable {

	final Process process;

	final int port;

	final int managementPort;

	final Path log;

	private GatewayJar(Process process, int port, int managementPort, Path log) {
		this.process = process;
		this.port = port;
		this.managementPort = managementPort;
		this.log = log;
	}

	static GatewayJar start(Path dir, List<String> instanceUris, String extraYaml) throws Exception {
		int port = FreePorts.next();
		int management = FreePorts.next();
		Path config = dir.resolve("contract.yml");
		Files.writeString(config, ContractProperties.yaml(port, instanceUris) + extraYaml);
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", jar().toString(), "--spring.config.additional-location=file:" + config,
				"--management.server.port=" + management));
		Path log = dir.resolve("out.log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		GatewayJar gateway = new GatewayJar(process, port, management, log);
		gateway.awaitListening(Duration.ofSeconds(90));
		return gateway;
	}

	private static Path jar() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter(f -> f.getFileName().toString().matches("portao-.*\\.jar")).findFirst()
				.orElseThrow(() -> new IllegalStateException("run after 'package': no target/portao-*.jar"));
		}
	}

	private void awaitListening(Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new AssertionError("gateway died: " + Files.readString(this.log));
			}
			try (Socket socket = new Socket("127.0.0.1", this.port)) {
				return;
			}
			catch (IOException notYet) {
				Thread.sleep(200);
			}
		}
		throw new AssertionError("gateway did not listen on " + this.port + " within " + timeout);
	}

	/** Resident set size of the gateway process, in KiB ({@code VmRSS} of {@code /proc/<pid>/status}). */
	long rssKib() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(this.process.pid()), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("\\D", ""));
			}
		}
		return -1;
	}

	String output() throws IOException {
		return Files.readString(this.log);
	}

	@Override
	public void close() throws Exception {
		this.process.destroy();
		if (!this.process.waitFor(40, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

}
