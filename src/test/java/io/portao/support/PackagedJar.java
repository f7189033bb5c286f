package io.portao.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The jar {@code package} built, {@code target/portao-*.jar}, and the command that runs it with this JVM. */
public final class PackagedJar {

	private PackagedJar() {
	}

	public static Path find() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter(f -> f.getFileName().toString().matches("portao-.*\\.jar")).findFirst()
				.orElseThrow(() -> new IllegalStateException("run after 'package': no target/portao-*.jar"));
		}
	}

	/** {@code java -jar target/portao-*.jar <args>}. */
	public static List<String> command(String... args) throws IOException {
		return command(List.of(), args);
	}

	/** {@code java <jvmOptions> -jar target/portao-*.jar <args>}. */
	public static List<String> command(List<String> jvmOptions, String... args) throws IOException {
		// SIGHUP back to its default: a build started under nohup passes SIGHUP ignored to its children, and the JVM
		// then never installs the reload's handler (coreutils' env, Debian 12 has 9.1).
		List<String> command = new ArrayList<>(List.of("env", "--default-signal=HUP",
				Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", find().toString()));
		command.addAll(List.of(args));
		return command;
	}

}
