package io.portao.metrics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.portao.upstream.AttemptResult;
import io.portao.upstream.InstanceState;
import io.portao.upstream.InstanceStatus;
import io.portao.upstream.UpstreamRegistry;

/**
 * The meters of one instance, created once when the instance is first seen, so that recording an attempt is an
 * array read and a few atomic updates: no tag lookup, no allocation per request.
 */
final class InstanceMeters {

	/** Status classes by index: 0 for no response, then 1xx..5xx. */
	private static final String[] STATUS_CLASSES = { "none", "1xx", "2xx", "3xx", "4xx", "5xx" };

	private static final AttemptResult.Outcome[] OUTCOMES = AttemptResult.Outcome.values();

	private final MeterRegistry registry;

	private final Tags tags;

	/** One timer per (outcome, status class), created on first use: most instances only ever see a few. */
	private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(
			OUTCOMES.length * STATUS_CLASSES.length);

	private final Counter connectFailures;

	private final Counter timeoutFailures;

	private final Counter resetFailures;

	private final Counter serverErrors;

	/** Not registered anywhere: feeds the p50/p99 of {@code /actuator/upstreams} over a sliding window. */
	private final Timer latency;

	InstanceMeters(MeterRegistry registry, SimpleMeterRegistry latencies, UpstreamRegistry upstreams,
			String upstream, InstanceState instance) {
		this.registry = registry;
		this.tags = Tags.of(UpstreamMeterNames.UPSTREAM, upstream, UpstreamMeterNames.SERVER, instance.authority());
		this.connectFailures = failures("connect");
		this.timeoutFailures = failures("timeout");
		this.resetFailures = failures("reset");
		this.serverErrors = failures("5xx");
		Gauge.builder(UpstreamMeterNames.IN_FLIGHT, instance, InstanceState::inFlight)
			.description("Attempts sent to the instance whose response has not been relayed to its end yet")
			.tags(this.tags)
			.register(registry);
		for (InstanceStatus status : InstanceStatus.values()) {
			Gauge.builder(UpstreamMeterNames.STATE, instance, i -> (i.status(upstreams.now()) == status) ? 1 : 0)
				.description("1 for the instance's current state (UP, EJECTED, DOWN, DRAINING, DRAINED), 0 for the others")
				.tags(this.tags)
				.tag("state", status.name())
				.register(registry);
		}
		this.latency = Timer.builder("portao.upstream.latency")
			.tags(this.tags)
			.publishPercentiles(0.5, 0.99)
			.percentilePrecision(2)
			.distributionStatisticExpiry(UpstreamMetrics.LATENCY_WINDOW)
			.distributionStatisticBufferLength(3)
			.register(latencies);
	}

	/** Removes every meter of the instance, from both registries: discovery no longer lists it. */
	void remove(SimpleMeterRegistry latencies) {
		java.util.List<io.micrometer.core.instrument.Meter> mine = this.registry.getMeters()
			.stream()
			.filter(meter -> this.tags.stream().allMatch(tag -> tag.getValue().equals(meter.getId().getTag(tag.getKey()))))
			.toList();
		mine.forEach(this.registry::remove);
		latencies.remove(this.latency);
	}

	void record(AttemptResult result) {
		timer(result.outcome(), result.status()).record(result.totalNanos(), TimeUnit.NANOSECONDS);
		this.latency.record(result.totalNanos(), TimeUnit.NANOSECONDS);
		Counter failure = failureCounter(result);
		if (failure != null) {
			failure.increment();
		}
	}

	/** p50 and p99 in milliseconds over the latency window, or {@code null} when nothing was recorded in it. */
	/**
	 * Answers relayed ({@code outcome=response}) by status class since start: {@code 2xx}, {@code 3xx}, {@code 4xx},
	 * {@code 5xx} (each present, 0 when none), read from the request timers.
	 */
	Map<String, Long> responsesByClass() {
		Map<String, Long> counts = new LinkedHashMap<>();
		int response = AttemptResult.Outcome.RESPONSE.ordinal() * STATUS_CLASSES.length;
		for (int statusClass = 2; statusClass <= 5; statusClass++) {
			Timer timer = this.timers.get(response + statusClass);
			counts.put(STATUS_CLASSES[statusClass], (timer != null) ? timer.count() : 0L);
		}
		return counts;
	}

	double[] percentilesMillis() {
		HistogramSnapshot snapshot = this.latency.takeSnapshot();
		ValueAtPercentile[] values = snapshot.percentileValues();
		if (snapshot.count() == 0 || values.length < 2) {
			return null;
		}
		return new double[] { values[0].value(TimeUnit.MILLISECONDS), values[1].value(TimeUnit.MILLISECONDS) };
	}

	private Counter failureCounter(AttemptResult result) {
		return switch (result.outcome()) {
			case CONNECT -> this.connectFailures;
			case TIMEOUT -> this.timeoutFailures;
			case RESET -> this.resetFailures;
			case RESPONSE -> (result.status() >= 500) ? this.serverErrors : null;
			case CANCELLED -> null;
		};
	}

	private Timer timer(AttemptResult.Outcome outcome, int status) {
		int statusClass = (status >= 100 && status < 600) ? status / 100 : 0;
		int index = outcome.ordinal() * STATUS_CLASSES.length + statusClass;
		Timer timer = this.timers.get(index);
		if (timer == null) {
			// Two event loops may race here: Micrometer returns the same registered timer to both.
			timer = newTimer(outcome, STATUS_CLASSES[statusClass]);
			this.timers.set(index, timer);
		}
		return timer;
	}

	private Timer newTimer(AttemptResult.Outcome outcome, String statusClass) {
		return Timer.builder(UpstreamMeterNames.REQUESTS)
			.description("Attempts sent to the instance, from sending the request to the end of the response body")
			.tags(this.tags)
			.tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
			.tag("status", statusClass)
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(60))
			.register(this.registry);
	}

	private Counter failures(String cause) {
		return Counter.builder(UpstreamMeterNames.FAILURES)
			.description("Failed attempts by cause: connect, timeout, reset, or a 5xx answer")
			.tags(this.tags)
			.tag("cause", cause)
			.register(this.registry);
	}

}
