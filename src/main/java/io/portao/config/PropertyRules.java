package io.portao.config;

import java.time.Duration;

/**
 * Range rules for configuration records' compact constructors, each failing start-up with the property's full name,
 * the value and what was expected ({@link InvalidConfigurationException}).
 */
public final class PropertyRules {

	private PropertyRules() {
	}

	public static void positive(String property, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationException(property, value, "a duration > 0, e.g. 10s");
		}
	}

	/** {@code null} (unset) or zero (off, unlimited) is allowed. */
	public static void notNegative(String property, Duration value) {
		if (value != null && value.isNegative()) {
			throw new InvalidConfigurationException(property, value, "a duration >= 0, e.g. 5s");
		}
	}

	public static void atLeast(String property, long value, long min) {
		if (value < min) {
			throw new InvalidConfigurationException(property, value, ">= " + min);
		}
	}

	public static void between(String property, double value, double min, double max) {
		if (!(value >= min && value <= max)) {
			throw new InvalidConfigurationException(property, value, "between " + min + " and " + max);
		}
	}

}
