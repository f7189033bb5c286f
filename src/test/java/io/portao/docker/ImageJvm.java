package io.portao.docker;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JVM of a running container of the image (its PID 1, which the ENTRYPOINT's shell execs), read with
 * {@code docker exec} as the image's user: which Java it is, the argument file it started with, the files it has
 * mapped and the memory it sizes its heap from.
 */
record ImageJvm(GenericContainer<?> container) {

	private static final Pattern SPECIFICATION_VERSION = Pattern.compile("java\\.specification\\.version = (\\d+)");

	/**
	 * The feature version (17, 25) of the running JVM's own binary: {@code /proc/1/exe} is the {@code java} PID 1
	 * runs, whatever the PATH says.
	 */
	int featureVersion() throws IOException, InterruptedException {
		String settings = exec("/proc/1/exe", "-XshowSettings:properties", "-version").getStderr();
		Matcher version = SPECIFICATION_VERSION.matcher(settings);
		assertThat(version.find()).as("java.specification.version in %s", settings).isTrue();
		return Integer.parseInt(version.group(1));
	}

	/**
	 * The memory the JVM sizes its heap from: the container's, which without a limit is the host's
	 * ({@code MemTotal}).
	 */
	long physicalMemoryBytes() throws IOException, InterruptedException {
		String total = exec("cat", "/proc/meminfo").getStdout().lines()
			.filter(line -> line.startsWith("MemTotal:"))
			.findFirst()
			.orElseThrow();
		return Long.parseLong(total.replaceAll("\\D", "")) * 1024;
	}

	/** The lines of {@code /app/jvm.args}, the argument file the ENTRYPOINT passes to {@code java}. */
	List<String> argumentFile() throws IOException, InterruptedException {
		return exec("cat", "/app/jvm.args").getStdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
	}

	/**
	 * The files the JVM has mapped ({@code /proc/1/maps}). A class-data-sharing archive that the JVM validated stays
	 * mapped; one it refused (another JDK build, another class path) is unmapped and the JVM starts without it.
	 */
	Set<String> mappedFiles() throws IOException, InterruptedException {
		return exec("cat", "/proc/1/maps").getStdout().lines()
			.map(line -> line.trim().split("\\s+"))
			.filter(fields -> fields.length >= 6 && fields[5].startsWith("/"))
			.map(fields -> String.join(" ", Arrays.copyOfRange(fields, 5, fields.length)))
			.collect(Collectors.toSet());
	}

	private ExecResult exec(String... command) throws IOException, InterruptedException {
		ExecResult result = container.execInContainer(command);
		assertThat(result.getExitCode()).as("%s: %s", String.join(" ", command), result.getStderr()).isZero();
		return result;
	}

}
