package io.portao.reload;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * The configuration files a reload re-reads and the watcher follows: the {@code file:} entries (or plain paths) of
 * {@code spring.config.location} and {@code spring.config.additional-location}, a directory standing for its
 * {@code application.yml}, {@code .yaml} and {@code .properties}. Classpath entries are part of the jar and never
 * change.
 */
final class ConfigFiles {

	private ConfigFiles() {
	}

	static List<Path> of(Environment environment) {
		List<Path> files = new ArrayList<>();
		for (String property : List.of("spring.config.location", "spring.config.additional-location")) {
			for (String location : StringUtils.commaDelimitedListToStringArray(environment.getProperty(property, ""))) {
				add(location.trim(), files);
			}
		}
		return files;
	}

	private static void add(String location, List<Path> files) {
		String path = location.startsWith("optional:") ? location.substring("optional:".length()) : location;
		if (path.isEmpty() || path.startsWith("classpath:") || path.contains("*")) {
			return;
		}
		path = path.startsWith("file:") ? path.substring("file:".length()) : path;
		if (path.contains(":") && !path.startsWith("/")) {
			return; // another URL scheme (configtree: and the like): not a file to watch
		}
		Path file = Path.of(path).toAbsolutePath();
		if (path.endsWith("/") || Files.isDirectory(file)) {
			for (String name : List.of("application.yml", "application.yaml", "application.properties")) {
				files.add(file.resolve(name));
			}
		}
		else {
			files.add(file);
		}
	}

}
