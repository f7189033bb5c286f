package io.portao.check;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * A property the user set: in a configuration file (the one given with {@code spring.config.additional-location},
 * {@code ./application.yml}, {@code ./config/...}) or on the command line. The jar's own {@code application*.yml}
 * are left out (they are Portão's, and tested), and so are environment variables and system properties, which
 * hold much that is not meant for Spring.
 *
 * @param name the name as written
 * @param value the value as written ({@code String}, or a number or boolean from YAML)
 */
record UserProperty(String name, Object value) {

	static List<UserProperty> all(ConfigurableEnvironment environment) {
		List<UserProperty> properties = new ArrayList<>();
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (isUsers(source) && source instanceof EnumerablePropertySource<?> enumerable) {
				for (String name : enumerable.getPropertyNames()) {
					properties.add(new UserProperty(name, unwrapped(enumerable.getProperty(name))));
				}
			}
		}
		return properties;
	}

	private static Object unwrapped(Object value) {
		return (value instanceof OriginTrackedValue tracked) ? tracked.getValue() : value;
	}

	private static boolean isUsers(PropertySource<?> source) {
		if (source instanceof CommandLinePropertySource<?>) {
			return true;
		}
		// Config data from the jar itself is named "Config resource 'class path resource [application.yml]' ...".
		return source instanceof OriginTrackedMapPropertySource && !source.getName().contains("class path resource");
	}

}
