package io.portao.reload;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import io.portao.config.PropertyRules;

/**
 * Reloading the configuration without a restart ({@code nginx -s reload}): on a change of a file named by
 * {@code spring.config.location} / {@code spring.config.additional-location}, on {@code SIGHUP}, or on
 * {@code POST /actuator/reload} (management port).
 *
 * @param enabled whether the gateway reloads at all (the three triggers)
 * @param watch whether a change of a configuration file triggers a reload (the signal and the endpoint always do)
 * @param pollInterval how often the configuration files' contents are compared with the last ones seen
 * @param quietPeriod how long a changed file must stay unchanged before the reload (an editor's several writes,
 * a ConfigMap's symlink swap, are one reload)
 * @param checkTimeout the longest the {@code check} of a new configuration may take before the reload is refused
 */
@ConfigurationProperties("portao.reload")
public record ReloadProperties(@DefaultValue("true") boolean enabled, @DefaultValue("true") boolean watch,
		@DefaultValue("1s") Duration pollInterval, @DefaultValue("1s") Duration quietPeriod,
		@DefaultValue("90s") Duration checkTimeout) {

	public ReloadProperties {
		PropertyRules.positive("portao.reload.poll-interval", pollInterval, "1s");
		PropertyRules.notNegative("portao.reload.quiet-period", quietPeriod, "reload at the first change seen");
		PropertyRules.positive("portao.reload.check-timeout", checkTimeout, "90s");
	}

}
