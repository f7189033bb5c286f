package io.portao.reload;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.portao.PortaoApplication;

/**
 * Runs {@code check} (the {@code nginx -t} of Portão) on the configuration the running gateway would load now, in a
 * child JVM started like this one: the same Java, the same jar or class path, the same program arguments and
 * {@code -D} properties, the same environment. A child process, because {@code check} creates every bean as
 * start-up does (Netty resources, SSL bundles, the web server object) and must not touch the running ones; and
 * because it is then exactly the check a user runs by hand, with the same one-line messages.
 */
final class CheckProcess {

	private final List<String> command;

	private final Duration timeout;

	CheckProcess(List<String> command, Duration timeout) {
		this.command = List.copyOf(command);
		this.timeout = timeout;
	}

	/** The command for this JVM: {@code java [-D…] -jar portao.jar check args}, or {@code -cp … PortaoApplication}. */
	static CheckProcess forThisJvm(String[] args, Duration timeout) {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command()
			.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		// C1 only: the check is one start-up, over before C2 would pay for itself.
		command.add("-XX:TieredStopAtLevel=1");
		ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
			.filter(argument -> argument.startsWith("-D"))
			.forEach(command::add);
		String launched = System.getProperty("sun.java.command", "").split(" ", 2)[0];
		if (launched.endsWith(".jar")) {
			command.addAll(List.of("-jar", launched));
		}
		else {
			command.addAll(List.of("-cp", System.getProperty("java.class.path"), PortaoApplication.class.getName()));
		}
		command.add("check");
		command.addAll(Arrays.asList(args));
		return new CheckProcess(command, timeout);
	}

	List<String> command() {
		return this.command;
	}

	/** The problems {@code check} found, one line each; empty when the configuration is fine. */
	List<String> problems() throws IOException, InterruptedException {
		Path out = Files.createTempFile("portao-reload-check", ".out");
		Process process = new ProcessBuilder(this.command).redirectError(ProcessBuilder.Redirect.DISCARD)
			.redirectOutput(out.toFile())
			.start();
		try {
			if (!process.waitFor(this.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				return List.of("the check of the new configuration did not finish within " + this.timeout
						+ " (portao.reload.check-timeout)");
			}
			if (process.exitValue() == 0) {
				return List.of();
			}
			List<String> lines = Files.readString(out, StandardCharsets.UTF_8).lines()
				.filter(line -> !line.isBlank())
				.toList();
			return lines.isEmpty() ? List.of("the check of the new configuration exited with " + process.exitValue())
					: lines;
		}
		finally {
			process.destroyForcibly();
			Files.deleteIfExists(out);
		}
	}

}
