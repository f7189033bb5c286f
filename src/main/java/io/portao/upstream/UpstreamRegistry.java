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

	public UpstreamRegistry(UpstreamProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = clock;
	}

	public Upstream upstream(String name) {
		Upstream upstream = this.upstreams.get(name);
		return (upstream != null) ? upstream : this.upstreams.computeIfAbsent(name,
				n -> new Upstream(n, this.properties.maxFails(), this.properties.failTimeout().toMillis()));
	}

	/** Every upstream that has served a request so far. */
	public Map<String, Upstream> upstreams() {
		return Map.copyOf(this.upstreams);
	}

	/** Current time in epoch millis, from the clock tests can move. */
	public long now() {
		return this.clock.millis();
	}

}
