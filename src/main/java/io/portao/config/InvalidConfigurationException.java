package io.portao.config;

import java.time.Duration;

/**
 * A configuration value Portão cannot run with. The message always has the form
 * {@code <property>: <value> (expected: <what>)} (Armeria's style), so that the start-up report names all three.
 */
public class InvalidConfigurationException extends IllegalArgumentException {

	private final String property;

	public InvalidConfigurationException(String property, Object value, String expected) {
		super(property + ": " + quote(value) + " (expected: " + expected + ")");
		this.property = property;
	}

	public String property() {
		return this.property;
	}

	private static String quote(Object value) {
		if (value instanceof CharSequence) {
			return "'" + value + "'";
		}
		return (value instanceof Duration duration) ? format(duration) : String.valueOf(value);
	}

	/** {@code -10s} or {@code 250ms}, as a user writes it in YAML, rather than {@code PT-10S}. */
	static String format(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

}
