package io.portao.upstream;

import java.time.Duration;

import io.portao.config.InvalidConfigurationException;

/** The checks the upstream properties records share, each failing start-up with the property's full name. */
final class PropertyChecks {

	private PropertyChecks() {
	}

	static void positive(String property, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationException(property, value, "a duration > 0, e.g. 10s");
		}
	}

	/** {@code null} (unset) or zero (off, unlimited) is allowed. */
	static void notNegative(String property, Duration value) {
		if (value != null && value.isNegative()) {
			throw new InvalidConfigurationException(property, value, "a duration >= 0, e.g. 5s");
		}
	}

	static void atLeast(String property, long value, long min) {
		if (value < min) {
			throw new InvalidConfigurationException(property, value, ">= " + min);
		}
	}

	static void between(String property, double value, double min, double max) {
		if (!(value >= min && value <= max)) {
			throw new InvalidConfigurationException(property, value, "between " + min + " and " + max);
		}
	}

}
