package io.portao.upstream;

import java.util.Map;

import io.portao.config.InvalidConfigurationException;

import org.springframework.cloud.client.ServiceInstance;

/**
 * The balancing parameters an instance carries in its discovery metadata, nginx's {@code server} parameters:
 * {@code weight} (a whole number from 1 to 1000, default 1), {@code backup: true} (used only when every other
 * instance is out) and {@code down: true} (never used).
 *
 * @param weight the instance's share relative to the others
 * @param backup whether the instance is used only when every primary is out
 * @param down whether the instance is left out of balancing altogether
 */
record InstanceMetadata(int weight, boolean backup, boolean down) {

	static final InstanceMetadata DEFAULT = new InstanceMetadata(1, false, false);

	/** The instance's parameters; a bad value throws, naming the instance and the key. */
	static InstanceMetadata of(ServiceInstance instance) {
		Map<String, String> metadata = instance.getMetadata();
		if (metadata == null || metadata.isEmpty()) {
			return DEFAULT;
		}
		String where = "metadata of " + instance.getServiceId() + " instance " + Upstream.authority(instance);
		return new InstanceMetadata(weight(metadata.get("weight"), where), flag(metadata.get("backup"), where, "backup"),
				flag(metadata.get("down"), where, "down"));
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
