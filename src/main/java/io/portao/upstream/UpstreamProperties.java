package io.portao.upstream;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import io.portao.config.PropertyRules;
import io.portao.config.InvalidConfigurationException;
import io.portao.upstream.balancing.BalancingPolicy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How an upstream balances, ejects, retries and times out. {@code portao.upstream.*} holds the defaults of every
 * upstream; {@code portao.upstreams.<name>.*} (the {@code lb://<name>} service id) overrides any of them for one
 * upstream. Defaults are nginx's where nginx has the feature.
 *
 * @param policy how an instance is picked: {@code round-robin} (default, nginx's smooth weighted round robin),
 * {@code least-connections}, {@code random-two-choices} or {@code least-time}. Weights come from the instance's
 * {@code metadata.weight}; {@code metadata.backup: true} instances are used only when every other is out, and
 * {@code metadata.down: true} ones never (nginx {@code weight}, {@code backup}, {@code down})
 * @param leastTimeDecay {@code least-time} only: how fast the peak EWMA of response times forgets (its time
 * constant, default 10s, Finagle's and Linkerd's)
 * @param maxFails failed attempts within {@code fail-timeout} after which an instance is ejected (nginx
 * {@code max_fails}, default 1); 0 disables passive ejection
 * @param failTimeout the window in which failures are counted, and how long the first ejection lasts (nginx
 * {@code fail_timeout}, default 10s)
 * @param failOn which attempts count as failed: {@code error}, {@code timeout}, {@code http_502}, {@code http_503},
 * {@code http_504} (default {@code error, timeout}, what nginx counts with its default {@code proxy_next_upstream})
 * @param maxEjectionTime each consecutive ejection of an instance lasts twice as long as the one before, up to
 * this (Envoy {@code max_ejection_time}, default 300s); set it to {@code fail-timeout} for nginx's fixed time
 * @param maxEjectedPercent never eject an instance if that would leave more than this percentage of the upstream's
 * instances ejected; one may always be ejected (Envoy {@code max_ejection_percent}). Default 100, nginx's: every
 * failing instance is taken out, and when all are out the balancer tries them anyway. A lower value keeps a failing
 * instance in rotation, where every request it gets waits for its failure before it is retried elsewhere
 * @param slowStart an instance that comes back from EJECTED or DOWN, or is added by discovery, has its weight
 * ramped linearly from 10 % to 100 % over this (NGINX Plus {@code slow_start}; default 0s, off)
 * @param nextUpstream which failed attempts are passed to the next instance: {@code error}, {@code timeout},
 * {@code http_502}, {@code http_503}, {@code http_504}, {@code non_idempotent}, or {@code off} alone (nginx
 * {@code proxy_next_upstream}, default {@code error, timeout})
 * @param nextUpstreamTries attempts a request may take in all, the first included (nginx
 * {@code proxy_next_upstream_tries}, default 0: unlimited)
 * @param nextUpstreamTimeout no retry starts once this much time passed since the first attempt (nginx
 * {@code proxy_next_upstream_timeout}, default 0s: unlimited)
 * @param retryBudget how many retries the upstream may send over a window
 * @param connectTimeout time to connect to an instance (nginx {@code proxy_connect_timeout}); unset uses
 * {@code spring.cloud.gateway.server.webflux.httpclient.connect-timeout} (Portão's default 3s)
 * @param responseTimeout time from sending the request to the response headers, then 504 (nginx
 * {@code proxy_read_timeout} before the headers); unset uses
 * {@code spring.cloud.gateway.server.webflux.httpclient.response-timeout} (Portão's default 60s)
 * @param idleTimeout longest silence between two reads of a response body; the client's response is then cut
 * (nginx {@code proxy_read_timeout}, default 60s); 0 disables it
 * @param healthCheck active health checks (off by default)
 */
@ConfigurationProperties(UpstreamProperties.PREFIX)
public record UpstreamProperties(@DefaultValue("round-robin") BalancingPolicy policy,
		@DefaultValue("10s") Duration leastTimeDecay, @DefaultValue("1") int maxFails,
		@DefaultValue("10s") Duration failTimeout, @DefaultValue({ "error", "timeout" }) Set<UpstreamCondition> failOn,
		@DefaultValue("300s") Duration maxEjectionTime, @DefaultValue("100") int maxEjectedPercent,
		@DefaultValue("0s") Duration slowStart,
		@DefaultValue({ "error", "timeout" }) Set<UpstreamCondition> nextUpstream,
		@DefaultValue("0") int nextUpstreamTries, @DefaultValue("0s") Duration nextUpstreamTimeout,
		@DefaultValue @NestedConfigurationProperty RetryBudgetProperties retryBudget, Duration connectTimeout,
		Duration responseTimeout, @DefaultValue("60s") Duration idleTimeout,
		@DefaultValue @NestedConfigurationProperty HealthCheckProperties healthCheck) {

	/** The prefix of the defaults of every upstream. */
	public static final String PREFIX = "portao.upstream";

	/** The prefix of per-upstream overrides: {@code portao.upstreams.<name>.*}. */
	public static final String UPSTREAMS_PREFIX = "portao.upstreams";

	private static final Set<UpstreamCondition> STATUS_AND_ERRORS = EnumSet.of(UpstreamCondition.ERROR,
			UpstreamCondition.TIMEOUT, UpstreamCondition.HTTP_502, UpstreamCondition.HTTP_503,
			UpstreamCondition.HTTP_504);

	public UpstreamProperties {
		PropertyRules.positive(PREFIX + ".least-time-decay", leastTimeDecay);
		PropertyRules.atLeast(PREFIX + ".max-fails", maxFails, 0);
		PropertyRules.positive(PREFIX + ".fail-timeout", failTimeout);
		failOn = checkFailOn(failOn);
		PropertyRules.positive(PREFIX + ".max-ejection-time", maxEjectionTime);
		if (maxEjectedPercent < 0 || maxEjectedPercent > 100) {
			throw new InvalidConfigurationException(PREFIX + ".max-ejected-percent", maxEjectedPercent,
					"between 0 and 100");
		}
		PropertyRules.notNegative(PREFIX + ".slow-start", slowStart);
		nextUpstream = checkNextUpstream(nextUpstream);
		PropertyRules.atLeast(PREFIX + ".next-upstream-tries", nextUpstreamTries, 0);
		PropertyRules.notNegative(PREFIX + ".next-upstream-timeout", nextUpstreamTimeout);
		if (connectTimeout != null) {
			PropertyRules.positive(PREFIX + ".connect-timeout", connectTimeout);
		}
		if (responseTimeout != null) {
			PropertyRules.positive(PREFIX + ".response-timeout", responseTimeout);
		}
		PropertyRules.notNegative(PREFIX + ".idle-timeout", idleTimeout);
	}

	/** The policy as written in configuration, e.g. {@code round-robin}. */
	public String policyName() {
		return this.policy.configName();
	}

	private static Set<UpstreamCondition> checkFailOn(Set<UpstreamCondition> failOn) {
		Set<UpstreamCondition> copy = (failOn == null) ? Set.of() : Set.copyOf(failOn);
		if (!STATUS_AND_ERRORS.containsAll(copy)) {
			throw new InvalidConfigurationException(PREFIX + ".fail-on", copy,
					"any of error, timeout, http_502, http_503, http_504");
		}
		return copy;
	}

	private static Set<UpstreamCondition> checkNextUpstream(Set<UpstreamCondition> nextUpstream) {
		Set<UpstreamCondition> copy = (nextUpstream == null) ? Set.of() : Set.copyOf(nextUpstream);
		if (copy.contains(UpstreamCondition.OFF) && copy.size() > 1) {
			throw new InvalidConfigurationException(PREFIX + ".next-upstream", copy,
					"off alone, or any of error, timeout, http_502, http_503, http_504, non_idempotent");
		}
		return copy;
	}

}
