package io.portao.config;

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
		return (value instanceof CharSequence) ? "'" + value + "'" : String.valueOf(value);
	}

}
