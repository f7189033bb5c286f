package io.portao.upstream;

import java.time.Duration;
import java.util.Map;

import io.portao.config.InvalidConfigurationException;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.cloud.client.ServiceInstance;

/**
 * The balancing parameters an instance carries in its discovery metadata, nginx's {@code server} parameters:
 * {@code weight} (a whole number from 1 to 1000, default 1), {@code backup: true} (used only when every other
 * instance is out), {@code down: true} (never used), and {@code max-fails} / {@code fail-timeout}, which replace the
 * upstream's {@code portao.upstreams.<name>.max-fails} / {@code fail-timeout} for this instance alone (nginx sets
 * {@code max_fails} and {@code fail_timeout} on each {@code server} line).
 *
 * @param weight the instance's share relative to the others
 * @param backup whether the instance is used only when every primary is out
 * @param down whether the instance is left out of balancing altogether
 * @param maxFails the instance's own {@code max-fails} (0 disables its passive ejection), or -1 for the upstream's
 * @param failTimeout the instance's own {@code fail-timeout}, or {@code null} for the upstream's
 */
record InstanceMetadata(int weight, boolean backup, boolean down, int maxFails, Duration failTimeout) {

	static final InstanceMetadata DEFAULT = new InstanceMetadata(1, false, false, -1, null);

	/** The instance's parameters; a bad value throws, naming the instance and the key. */
	static InstanceMetadata of(ServiceInstance instance) {
		Map<String, String> metadata = instance.getMetadata();
		if (metadata == null || metadata.isEmpty()) {
			return DEFAULT;
		}
		String where = "metadata of " + instance.getServiceId() + " instance " + Upstream.authority(instance);
		return new InstanceMetadata(weight(metadata.get("weight"), where), flag(metadata.get("backup"), where, "backup"),
				flag(metadata.get("down"), where, "down"), maxFails(metadata.get("max-fails"), where),
				failTimeout(metadata.get("fail-timeout"), where));
	}

	/** This instance's {@code max-fails}: its own, or the upstream's. */
	int maxFails(UpstreamProperties upstream) {
		return (this.maxFails >= 0) ? this.maxFails : upstream.maxFails();
	}

	/** This instance's {@code fail-timeout}: its own, or the upstream's. */
	Duration failTimeout(UpstreamProperties upstream) {
		return (this.failTimeout != null) ? this.failTimeout : upstream.failTimeout();
	}

	private static int weight(String value, String where) {
		if (value == null) {
			return 1;
		}
		try {
			int weight = Integer.parseInt(value.trim());
			if (weight >= 1 && weight <= 1000) {
				return weight;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new InvalidConfigurationException(where + ": weight", value, "a whole number from 1 to 1000");
	}

	private static int maxFails(String value, String where) {
		if (value == null) {
			return -1;
		}
		try {
			int fails = Integer.parseInt(value.trim());
			if (fails >= 0) {
				return fails;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new InvalidConfigurationException(where + ": max-fails", value,
				"a whole number, 0 or more (0: never ejected after failures)");
	}

	private static Duration failTimeout(String value, String where) {
		if (value == null) {
			return null;
		}
		try {
			Duration timeout = DurationStyle.detectAndParse(value.trim());
			if (!timeout.isNegative() && !timeout.isZero()) {
				return timeout;
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		throw new InvalidConfigurationException(where + ": fail-timeout", value, "a positive duration such as 10s");
	}

	private static boolean flag(String value, String where, String key) {
		if (value == null || value.equalsIgnoreCase("false")) {
			return false;
		}
		if (value.equalsIgnoreCase("true")) {
			return true;
		}
		throw new InvalidConfigurationException(where + ": " + key, value, "true or false");
	}

}
