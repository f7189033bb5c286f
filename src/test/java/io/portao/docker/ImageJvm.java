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
 * {@code docker exec} as the image's user: which Java it is, the argument file and command line it started with,
 * the files it has mapped, the memory it sizes its heap from and the huge pages it holds.
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

	/** The arguments PID 1 runs with ({@code /proc/1/cmdline}): the ENTRYPOINT's flags as its shell chose them. */
	List<String> commandLine() throws IOException, InterruptedException {
		return List.of(exec("cat", "/proc/1/cmdline").getStdout().split("\0"));
	}

	/**
	 * The kernel's transparent huge page mode as the container sees it, the bracketed word of
	 * {@code /sys/kernel/mm/transparent_hugepage/enabled} ({@code always}, {@code madvise}, {@code never}), or
	 * {@code never} when the file is not there.
	 */
	String transparentHugePageMode() throws IOException, InterruptedException {
		ExecResult result = container.execInContainer("cat", "/sys/kernel/mm/transparent_hugepage/enabled");
		Matcher mode = Pattern.compile("\\[(\\w+)]").matcher(result.getStdout());
		return result.getExitCode() == 0 && mode.find() ? mode.group(1) : "never";
	}

	/** Anonymous memory of PID 1 in transparent huge pages ({@code AnonHugePages} of {@code /proc/1/smaps_rollup}). */
	long anonHugePagesKiB() throws IOException, InterruptedException {
		String line = exec("cat", "/proc/1/smaps_rollup").getStdout().lines()
			.filter(l -> l.startsWith("AnonHugePages:"))
			.findFirst()
			.orElseThrow();
		return Long.parseLong(line.replaceAll("\\D", ""));
	}

	private ExecResult exec(String... command) throws IOException, InterruptedException {
		ExecResult result = container.execInContainer(command);
		assertThat(result.getExitCode()).as("%s: %s", String.join(" ", command), result.getStderr()).isZero();
		return result;
	}

}
