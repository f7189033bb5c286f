package io.portao.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.portao.config.InvalidConfigurationException;

import org.springframework.boot.context.properties.bind.Binder;

/**
 * Every {@code file:} static location is a directory: Boot accepts a missing one and every {@code /static/}
 * request then answers 404 (nginx's {@code root} pointing nowhere). Not checked with
 * {@code portao.static-files.enabled: false}: then no file is served, and the jar's default location need not exist.
 */
final class StaticLocationChecks {

	static final String LOCATIONS = "spring.web.resources.static-locations";

	private StaticLocationChecks() {
	}

	static List<String> problems(Binder binder) {
		String[] locations;
		try {
			if (!binder.bind("portao.static-files.enabled", Boolean.class).orElse(true)) {
				return List.of();
			}
			locations = binder.bind(LOCATIONS, String[].class).orElse(new String[0]);
		}
		catch (RuntimeException unbindable) {
			return List.of();
		}
		List<String> problems = new ArrayList<>();
		for (int i = 0; i < locations.length; i++) {
			String location = locations[i].trim();
			if (location.startsWith("file:") && !Files.isDirectory(Path.of(location.substring("file:".length())))) {
				String property = (locations.length == 1) ? LOCATIONS : LOCATIONS + "[" + i + "]";
				problems.add(new InvalidConfigurationException(property, location, "an existing directory").getMessage());
			}
		}
		return problems;
	}

}
