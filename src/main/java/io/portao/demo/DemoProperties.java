package io.portao.demo;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import io.portao.config.InvalidConfigurationException;

/**
 * The {@code demo} profile's built-in app instances.
 *
 * @param instancePorts loopback ports of the demo instances started with the {@code demo} profile (default 8080
 * and 8081, the reference {@code upstream bapis}); only read when that profile is active.
 */
@ConfigurationProperties("portao.demo")
public record DemoProperties(@DefaultValue({ "8080", "8081" }) List<Integer> instancePorts) {

	public DemoProperties {
		for (int i = 0; i < instancePorts.size(); i++) {
			int port = instancePorts.get(i);
			if (port < 1 || port > 65535) {
				throw new InvalidConfigurationException("portao.demo.instance-ports[" + i + "]", port, "1..65535");
			}
		}
	}

}
