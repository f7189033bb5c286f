package io.portao.upstream;

import java.time.Duration;
import java.util.List;

import io.portao.config.PropertyRules;
import io.portao.config.InvalidConfigurationException;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Active health checks of an upstream's instances (NGINX Plus {@code health_check}, Envoy {@code health_checks}):
 * off by default, as in nginx. A probe is a {@code GET path} to the instance; an instance that fails
 * {@code unhealthy-threshold} probes in a row is {@link InstanceStatus#DOWN} and left out of balancing until it
 * passes {@code healthy-threshold} in a row.
 *
 * @param enabled whether instances are probed (default false)
 * @param path the request target of each probe (default {@code /})
 * @param interval time between two probes of an instance (default 5s, NGINX Plus's)
 * @param timeout how long a probe may take, connect to response headers (default 1s)
 * @param healthyThreshold passed probes in a row that bring a DOWN instance back (default 1, NGINX Plus
 * {@code passes})
 * @param unhealthyThreshold failed probes in a row that make an instance DOWN (default 1, NGINX Plus
 * {@code fails})
 * @param expectedStatus statuses that pass: classes such as {@code 2xx}, single codes such as {@code 204}, or
 * ranges such as {@code 200-399} (default {@code 2xx, 3xx}, NGINX Plus's)
 */
public record HealthCheckProperties(@DefaultValue("false") boolean enabled, @DefaultValue("/") String path,
		@DefaultValue("5s") Duration interval, @DefaultValue("1s") Duration timeout,
		@DefaultValue("1") int healthyThreshold, @DefaultValue("1") int unhealthyThreshold,
		@DefaultValue({ "2xx", "3xx" }) List<String> expectedStatus) {

	static final String PREFIX = UpstreamProperties.PREFIX + ".health-check";

	public HealthCheckProperties {
		if (path == null || !path.startsWith("/")) {
			throw new InvalidConfigurationException(PREFIX + ".path", path, "a path starting with /, e.g. /health");
		}
		PropertyRules.positive(PREFIX + ".interval", interval);
		PropertyRules.positive(PREFIX + ".timeout", timeout);
		PropertyRules.atLeast(PREFIX + ".healthy-threshold", healthyThreshold, 1);
		PropertyRules.atLeast(PREFIX + ".unhealthy-threshold", unhealthyThreshold, 1);
		expectedStatus = List.copyOf(expectedStatus);
		for (String status : expectedStatus) {
			if (!StatusMatcher.isValid(status)) {
				throw new InvalidConfigurationException(PREFIX + ".expected-status", status,
						"a status class (2xx), a code (204) or a range (200-399)");
			}
		}
	}

	/** Whether a probe answered with {@code status} passes. */
	public boolean expects(int status) {
		return this.expectedStatus.stream().anyMatch(expected -> StatusMatcher.matches(expected, status));
	}

}
