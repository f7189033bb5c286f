package io.portao.upstream;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of every upstream, by name. The balancer and the failover filter write it; metrics and endpoints
 * read it.
 */
public final class UpstreamRegistry {

	private final Map<String, Upstream> upstreams = new ConcurrentHashMap<>();

	private final UpstreamProperties properties;

	private final Clock clock;

	private volatile AttemptListener[] listeners = new AttemptListener[0];

	public UpstreamRegistry(UpstreamProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = clock;
	}

	public Upstream upstream(String name) {
		Upstream upstream = this.upstreams.get(name);
		return (upstream != null) ? upstream : this.upstreams.computeIfAbsent(name,
				n -> new Upstream(n, this.properties.maxFails(), this.properties.failTimeout().toMillis()));
	}

	/** Every upstream: each service discovery knows (synced at start-up and on refresh) and each that served. */
	public Map<String, Upstream> upstreams() {
		return Map.copyOf(this.upstreams);
	}

	/** Tells {@code listener} of every attempt from now on. */
	public synchronized void addListener(AttemptListener listener) {
		AttemptListener[] grown = java.util.Arrays.copyOf(this.listeners, this.listeners.length + 1);
		grown[grown.length - 1] = listener;
		this.listeners = grown;
	}

	UpstreamAttempt start(String upstream, InstanceState instance) {
		instance.attemptStarted();
		for (AttemptListener listener : this.listeners) {
			listener.attemptStarted(upstream, instance);
		}
		return new UpstreamAttempt(this, upstream, instance);
	}

	void ended(AttemptResult result) {
		for (AttemptListener listener : this.listeners) {
			listener.attemptEnded(result);
		}
	}

	/** Current time in epoch millis, from the clock tests can move. */
	public long now() {
		return this.clock.millis();
	}

}
