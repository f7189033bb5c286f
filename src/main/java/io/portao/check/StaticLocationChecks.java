package io.portao.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.portao.config.InvalidConfigurationException;

import org.springframework.boot.context.properties.bind.Binder;

/**
 * Every {@code file:} static location is a directory: Boot accepts a missing one and every {@code /static/}
 * request then answers 404 (nginx's {@code root} pointing nowhere). Those of {@code portao.static-files.locations}
 * when it is given, else {@code spring.web.resources.static-locations}. Not checked with
 * {@code portao.static-files.enabled: false}: then no file is served, and the jar's default location need not exist.
 */
final class StaticLocationChecks {

	static final String LOCATIONS = "spring.web.resources.static-locations";

	static final String LIST = "portao.static-files.locations";

	/** Far more locations than any site has; the loop over the list stops there. */
	private static final int MAX_LISTED = 1000;

	private StaticLocationChecks() {
	}

	static List<String> problems(Binder binder) {
		String[] locations;
		List<String> listed = new ArrayList<>();
		try {
			if (!binder.bind("portao.static-files.enabled", Boolean.class).orElse(true)) {
				return List.of();
			}
			locations = binder.bind(LOCATIONS, String[].class).orElse(new String[0]);
			for (int i = 0; i < MAX_LISTED; i++) {
				String entry = LIST + "[" + i + "]";
				if (!binder.bind(entry + ".path", String.class).isBound()
						&& !binder.bind(entry + ".directory", String.class).isBound()) {
					break;
				}
				listed.add(binder.bind(entry + ".directory", String.class).orElse(""));
			}
		}
		catch (RuntimeException unbindable) {
			return List.of();
		}
		List<String> problems = new ArrayList<>();
		if (!listed.isEmpty()) {
			for (int i = 0; i < listed.size(); i++) {
				check(listed.get(i).trim(), LIST + "[" + i + "].directory", problems);
			}
			return problems;
		}
		for (int i = 0; i < locations.length; i++) {
			check(locations[i].trim(), (locations.length == 1) ? LOCATIONS : LOCATIONS + "[" + i + "]", problems);
		}
		return problems;
	}

	private static void check(String location, String property, List<String> problems) {
		if (location.startsWith("file:") && !Files.isDirectory(Path.of(location.substring("file:".length())))) {
			problems.add(new InvalidConfigurationException(property, location, "an existing directory").getMessage());
		}
	}

}
