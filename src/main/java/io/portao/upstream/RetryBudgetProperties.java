package io.portao.upstream;

import java.time.Duration;

import org.springframework.boot.context.properties.bind.DefaultValue;

import io.portao.config.PropertyRules;

/**
 * How many retries ({@code next-upstream}) an upstream may have failing, so that a sick cluster is not hammered:
 * at most {@code ratio} of the requests over the last {@code window}, plus {@code min-per-second} ×
 * {@code window} (Finagle's {@code RetryBudget}: 20 %, 10 per second, 10 s). Unlike Finagle's, a retry that gets an
 * answer gives its share back: failing over from a dead or frozen instance to a healthy one never spends the
 * budget, only retries that fail again (or are still waiting) do. When the budget is spent the client gets the
 * failure (502, 504, or the instance's 5xx) instead of a retry.
 *
 * @param ratio retries allowed per request over the window (default 0.2: at most 20 % extra load); 0 leaves only
 * the minimum
 * @param minPerSecond retries always allowed per second of the window, so that a quiet upstream can still retry
 * (default 10)
 * @param window the sliding window over which requests and retries are counted (default 10s, whole seconds)
 */
public record RetryBudgetProperties(@DefaultValue("0.2") double ratio, @DefaultValue("10") int minPerSecond,
		@DefaultValue("10s") Duration window) {

	static final String PREFIX = UpstreamProperties.PREFIX + ".retry-budget";

	public RetryBudgetProperties {
		PropertyRules.between(PREFIX + ".ratio", ratio, 0, 1000);
		PropertyRules.atLeast(PREFIX + ".min-per-second", minPerSecond, 0);
		PropertyRules.positive(PREFIX + ".window", window);
		if (window.toMillis() % 1000 != 0) {
			throw new io.portao.config.InvalidConfigurationException(PREFIX + ".window", window, "whole seconds, e.g. 10s");
		}
	}

}
