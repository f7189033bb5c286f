package io.portao.reload;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cache.Cache;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.cloud.loadbalancer.cache.LoadBalancerCacheManager;
import org.springframework.cloud.loadbalancer.core.CachingServiceInstanceListSupplier;
import org.springframework.context.ApplicationEventPublisher;

import io.portao.config.ReloadableProperties;

/**
 * nginx's {@code HUP}: checks the configuration on disk with {@code check}, and only if it passes applies it to the
 * running gateway through Spring Cloud's refresh ({@link ContextRefresher}: the environment re-read,
 * {@code EnvironmentChangeEvent}, mutable {@code @ConfigurationProperties} re-bound, {@code RefreshRoutesEvent}),
 * then drops the balancer's cached instance lists and announces a discovery change, so that added, removed and
 * changed instances and routes take effect for the next request. Instances that stay keep their state (ejection,
 * counters, latency): they are kept by {@code host:port}. Requests in flight and open connections are untouched.
 * A refused configuration leaves everything as it was. One reload at a time.
 */
public final class ConfigReloader {

	private static final Log logger = LogFactory.getLog(ConfigReloader.class);

	/**
	 * Properties a reload applies at once through Spring Cloud's own rebinding and route refresh; with those the
	 * {@link ReloadableProperties} beans apply, every other change is reported as needing a restart (their beans are
	 * immutable records bound at start-up, or a bound port).
	 */
	static final List<String> APPLIED_AT_ONCE = List.of("spring.cloud.discovery.client.simple.instances",
			"spring.cloud.gateway.server.webflux.routes", "spring.cloud.gateway.server.webflux.default-filters",
			"logging.level");

	private final CheckProcess check;

	private final ContextRefresher refresher;

	private final LoadBalancerCacheManager caches;

	private final ApplicationEventPublisher events;

	private final MeterRegistry meters;

	private final List<ReloadableProperties> reloadable;

	private volatile ReloadResult last;

	/** @param refresher Spring Cloud's refresh, {@code null} when {@code spring.cloud.refresh.enabled=false} */
	ConfigReloader(CheckProcess check, ContextRefresher refresher, LoadBalancerCacheManager caches,
			ApplicationEventPublisher events, MeterRegistry meters, List<ReloadableProperties> reloadable) {
		this.reloadable = List.copyOf(reloadable);
		this.check = check;
		this.refresher = refresher;
		this.caches = caches;
		this.events = events;
		this.meters = meters;
	}

	/** The last reload's outcome, or {@code null} before the first. */
	public ReloadResult last() {
		return this.last;
	}

	/** Checks and applies the configuration on disk; {@code trigger} names what asked for it, for the log. */
	public synchronized ReloadResult reload(String trigger) {
		logger.info("reload (" + trigger + "): checking the configuration");
		List<String> problems;
		try {
			problems = this.check.problems();
		}
		catch (Exception ex) {
			problems = List.of("the check of the new configuration could not run: " + ex);
		}
		if (problems.isEmpty() && this.refresher == null) {
			problems = List.of("spring.cloud.refresh.enabled: false (expected: true, Spring Cloud's refresh applies a "
					+ "reload; or portao.reload.enabled: false)");
		}
		if (!problems.isEmpty()) {
			problems.forEach(line -> logger.error("reload (" + trigger + ") refused, the running configuration stays: " + line));
			return done(trigger, ReloadResult.REFUSED, problems, Set.of(), Set.of());
		}
		Set<String> changed = new TreeSet<>(this.refresher.refresh());
		changed.removeIf(key -> key.startsWith("spring.cloud.refresh") || key.equals("spring.config.activate.on-profile"));
		if (changed.isEmpty()) {
			logger.info("reload (" + trigger + "): the configuration is unchanged");
			return done(trigger, ReloadResult.UNCHANGED, List.of(), changed, Set.of());
		}
		Cache instances = (this.caches != null)
				? this.caches.getCache(CachingServiceInstanceListSupplier.SERVICE_INSTANCE_CACHE_NAME) : null;
		if (instances != null) {
			instances.clear();
		}
		this.events.publishEvent(new HeartbeatEvent(this, "reload " + Instant.now()));
		Set<String> needRestart = new TreeSet<>();
		changed.stream().filter(key -> !appliedAtOnce(key)).forEach(needRestart::add);
		logger.info("reload (" + trigger + ") applied: " + changed.size() + " properties changed: " + changed);
		if (!needRestart.isEmpty()) {
			logger.warn("reload (" + trigger + "): these take effect at the next start only: "
					+ String.join(", ", needRestart));
		}
		return done(trigger, ReloadResult.APPLIED, List.of(), changed, needRestart);
	}

	private boolean appliedAtOnce(String key) {
		return APPLIED_AT_ONCE.stream().anyMatch(key::startsWith)
				|| this.reloadable.stream().anyMatch(properties -> properties.applies(key));
	}

	private ReloadResult done(String trigger, String result, List<String> problems, Set<String> changed,
			Set<String> needRestart) {
		Counter.builder("portao.reload")
			.description("Configuration reloads by result: applied, unchanged, or refused by the check")
			.tag("result", result)
			.register(this.meters)
			.increment();
		ReloadResult done = new ReloadResult(Instant.now().toString(), trigger, result, List.copyOf(problems),
				List.copyOf(changed), List.copyOf(needRestart));
		this.last = done;
		return done;
	}

}
