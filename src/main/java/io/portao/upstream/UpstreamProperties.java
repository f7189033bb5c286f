package io.portao.upstream;

import java.time.Duration;

import io.portao.config.InvalidConfigurationException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How every upstream treats an instance that fails, mirroring the parameters of nginx's {@code server} directive
 * in an {@code upstream} block.
 *
 * @param maxFails failed attempts within {@code fail-timeout} after which an instance is left out of balancing
 * for {@code fail-timeout} (nginx {@code max_fails}, default 1); 0 disables the accounting. A failed attempt is
 * one that could not connect, or whose connection broke before the response headers arrived.
 * @param failTimeout the window in which failures are counted and how long a failed instance is then left out
 * (nginx {@code fail_timeout}, default 10s). When every instance is out, they are tried anyway.
 */
@ConfigurationProperties(UpstreamProperties.PREFIX)
public record UpstreamProperties(@DefaultValue("1") int maxFails, @DefaultValue("10s") Duration failTimeout) {

	/** The prefix of these properties. */
	public static final String PREFIX = "portao.upstream";

	public UpstreamProperties {
		if (maxFails < 0) {
			throw new InvalidConfigurationException(PREFIX + ".max-fails", maxFails, ">= 0");
		}
		if (failTimeout == null || failTimeout.isNegative() || failTimeout.isZero()) {
			throw new InvalidConfigurationException(PREFIX + ".fail-timeout", failTimeout, "a duration > 0, e.g. 10s");
		}
	}

}
