package io.portao.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.portao.upstream.AttemptListener;
import io.portao.upstream.AttemptResult;
import io.portao.upstream.InstanceState;
import io.portao.upstream.UpstreamRegistry;

/**
 * Turns every attempt {@link UpstreamRegistry} reports into per-instance meters and latency percentiles. Runs on
 * the event loop that ended the attempt: one map read by identity, then the instance's precomputed meters.
 */
public final class UpstreamMetrics implements AttemptListener {

	/**
	 * The window the endpoint's p50/p99 cover: a ring of three histograms rotated every 20 s, so a percentile
	 * reflects the last 40 to 60 seconds of attempts.
	 */
	static final Duration LATENCY_WINDOW = Duration.ofSeconds(60);

	private final MeterRegistry registry;

	private final UpstreamRegistry upstreams;

	private final SimpleMeterRegistry latencies = new SimpleMeterRegistry();

	private final Map<InstanceState, InstanceMeters> instances = new ConcurrentHashMap<>();

	public UpstreamMetrics(MeterRegistry registry, UpstreamRegistry upstreams) {
		this.registry = registry;
		this.upstreams = upstreams;
	}

	@Override
	public void attemptStarted(String upstream, InstanceState instance) {
		meters(upstream, instance);
	}

	@Override
	public void attemptEnded(AttemptResult result) {
		meters(result.upstream(), result.instance()).record(result);
	}

	/** Registers the meters of an instance nothing was sent to yet, so that dashboards show it from the start. */
	void register(String upstream, InstanceState instance) {
		meters(upstream, instance);
	}

	/**
	 * Forgets the meters of every instance not in {@code listed}: pods come and go under Kubernetes discovery, and
	 * the series of the gone ones must not pile up. An attempt still in flight to a removed instance recreates its
	 * meters when it ends; the next call removes them again.
	 */
	void retainOnly(java.util.Set<InstanceState> listed) {
		this.instances.forEach((instance, meters) -> {
			if (!listed.contains(instance) && this.instances.remove(instance, meters)) {
				meters.remove(this.latencies);
			}
		});
	}

	/** p50 and p99 of the instance in milliseconds over {@link #LATENCY_WINDOW}, or {@code null}. */
	double[] percentilesMillis(InstanceState instance) {
		InstanceMeters meters = this.instances.get(instance);
		return (meters != null) ? meters.percentilesMillis() : null;
	}

	/** Answers by status class ({@code 2xx}..{@code 5xx}) relayed from the instance since start; zeros when none. */
	Map<String, Long> responsesByClass(InstanceState instance) {
		InstanceMeters meters = this.instances.get(instance);
		return (meters != null) ? meters.responsesByClass()
				: Map.of("2xx", 0L, "3xx", 0L, "4xx", 0L, "5xx", 0L);
	}

	private InstanceMeters meters(String upstream, InstanceState instance) {
		InstanceMeters meters = this.instances.get(instance);
		return (meters != null) ? meters : this.instances.computeIfAbsent(instance,
				i -> new InstanceMeters(this.registry, this.latencies, this.upstreams, upstream, i));
	}

}
