package io.portao.support;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar ({@code target/portao-*.jar}, built by {@code package} before failsafe runs) as a child process:
 * a subcommand run to its end, or the gateway started and stopped by its PID.
 */
public final class PortaoJar implements AutoCloseable {

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private final Process process;

	private final Path log;

	private final int port;

	/** The management port, or -1 when the arguments chose it. */
	private final int managementPort;

	private PortaoJar(Process process, Path log, int port, int managementPort) {
		this.process = process;
		this.log = log;
		this.port = port;
		this.managementPort = managementPort;
	}

	/** What a subcommand printed and its exit code. */
	public record Run(int exitCode, String out, String err) {
	}

	/** Runs {@code java -jar portao.jar args…} to its end (killed after {@code timeout}). */
	public static Run run(Path dir, List<String> args, Duration timeout) throws IOException, InterruptedException {
		Path out = Files.createTempFile(dir, "out", ".txt");
		Path err = Files.createTempFile(dir, "err", ".txt");
		Process process = new ProcessBuilder(PackagedJar.command(args.toArray(String[]::new))).redirectOutput(out.toFile()).redirectError(err.toFile())
			.start();
		if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			throw new AssertionError("java -jar portao.jar " + args + " did not end within " + timeout);
		}
		return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
				Files.readString(err, StandardCharsets.UTF_8));
	}

	/** What {@code import-nginx} printed, and the gateway started with nothing but the YAML it wrote. */
	public record Imported(PortaoJar gateway, Run run) {
	}

	/**
	 * Runs {@code import-nginx} on {@code nginxConf} (it must translate completely, exit code 0), then starts the
	 * gateway with the YAML it wrote, on {@code port} (which the file's {@code listen} names).
	 */
	public static Imported startImported(Path dir, Path nginxConf, int port) throws Exception {
		Path yaml = dir.resolve("application.yml");
		Run run = run(dir, List.of("import-nginx", "-o", yaml.toString(), nginxConf.toString()), Duration.ofSeconds(60));
		if (run.exitCode() != 0) {
			throw new AssertionError("import-nginx exited with " + run.exitCode() + ": " + run.err());
		}
		PortaoJar gateway = start(dir, List.of("--spring.config.additional-location=file:" + yaml,
				"--management.server.port=" + FreePorts.next()), port);
		return new Imported(gateway, run);
	}

	/**
	 * Starts the gateway on the configuration contract ({@link ContractProperties#yaml}) with {@code instanceUris},
	 * on free public and management ports.
	 */
	public static PortaoJar startContract(Path dir, List<String> instanceUris) throws Exception {
		return startContract(dir, instanceUris, List.of(), List.of());
	}

	/** {@link #startContract(Path, List)} with JVM options and more application arguments. */
	public static PortaoJar startContract(Path dir, List<String> instanceUris, List<String> jvmOptions,
			List<String> moreArgs) throws Exception {
		int port = FreePorts.next();
		int management = FreePorts.next();
		Path config = dir.resolve("contract.yml");
		Files.writeString(config, ContractProperties.yaml(port, instanceUris));
		List<String> args = new ArrayList<>(List.of("--spring.config.additional-location=file:" + config,
				"--management.server.port=" + management));
		args.addAll(moreArgs);
		return start(dir, jvmOptions, args, port, management);
	}

	/** Starts the gateway with {@code args} and waits until it accepts connections on 127.0.0.1:{@code port}. */
	public static PortaoJar start(Path dir, List<String> args, int port) throws Exception {
		return start(dir, List.of(), args, port, -1);
	}

	private static PortaoJar start(Path dir, List<String> jvmOptions, List<String> args, int port,
			int managementPort) throws Exception {
		Path log = Files.createTempFile(dir, "portao", ".log");
		Process process = new ProcessBuilder(PackagedJar.command(jvmOptions, args.toArray(String[]::new)))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		PortaoJar jar = new PortaoJar(process, log, port, managementPort);
		jar.awaitListening(port, Duration.ofSeconds(90));
		return jar;
	}

	private void awaitListening(int port, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new AssertionError("the gateway exited with " + this.process.exitValue() + ": " + log());
			}
			try (Socket socket = new Socket("127.0.0.1", port)) {
				return;
			}
			catch (IOException notYet) {
				Thread.sleep(100);
			}
		}
		close();
		throw new AssertionError("the gateway did not listen on " + port + " within " + timeout + ": " + log());
	}

	public int port() {
		return this.port;
	}

	/** The management port {@link #startContract} chose. */
	public int managementPort() {
		return this.managementPort;
	}

	/** The gateway process, for a SIGTERM the test waits on itself. */
	public Process process() {
		return this.process;
	}

	/** Resident set size of the gateway process, in KiB ({@code VmRSS} of {@code /proc/<pid>/status}). */
	public long rssKib() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(this.process.pid()), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("\\D", ""));
			}
		}
		return -1;
	}

	/** The gateway process's PID, for signals. */
	public long pid() {
		return this.process.pid();
	}

	public String log() throws IOException {
		return Files.readString(this.log, StandardCharsets.UTF_8);
	}

	/** SIGTERM by PID, then SIGKILL if it has not exited within the graceful-shutdown bound. */
	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
			this.process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

}
