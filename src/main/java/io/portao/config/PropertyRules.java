package io.portao.config;

import java.time.Duration;

import org.springframework.util.unit.DataSize;

/**
 * Range rules for configuration records' compact constructors, each failing start-up with the property's full name,
 * the value and what was expected ({@link InvalidConfigurationException}).
 */
public final class PropertyRules {

	private PropertyRules() {
	}

	public static void positive(String property, Duration value) {
		positive(property, value, "10s");
	}

	/** A duration above zero; {@code example} is a sensible value for the property, shown in the message. */
	public static void positive(String property, Duration value, String example) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationException(property, value, "a duration > 0, e.g. " + example);
		}
	}

	/** Zero or more; {@code zeroMeans} says what zero does ("no limit"). */
	public static void notNegative(String property, Duration value, String zeroMeans) {
		if (value == null || value.isNegative()) {
			throw new InvalidConfigurationException(property, value, "a duration >= 0 (0: " + zeroMeans + ")");
		}
	}

	/** Zero or more; {@code zeroMeans} says what zero does ("no limit"). */
	public static void notNegative(String property, DataSize value, String zeroMeans) {
		if (value == null || value.isNegative()) {
			throw new InvalidConfigurationException(property, value, "a size >= 0 (0: " + zeroMeans + ")");
		}
	}

	/** Whole seconds, at least one (for settings that a library counts in seconds). */
	public static void wholeSeconds(String property, Duration value, String example) {
		if (value == null || value.compareTo(Duration.ofSeconds(1)) < 0 || value.getNano() != 0
				|| value.getSeconds() > Integer.MAX_VALUE) {
			throw new InvalidConfigurationException(property, value, "whole seconds >= 1s, e.g. " + example);
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
