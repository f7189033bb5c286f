package io.portao.upstream;

import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The state of every upstream, by name. The balancer, the failover filter and health checks write it; metrics and
 * endpoints read it.
 */
public final class UpstreamRegistry {

	private final Map<String, Upstream> upstreams = new ConcurrentHashMap<>();

	private final Function<String, UpstreamProperties> settings;

	private final Clock clock;

	private volatile AttemptListener[] listeners = new AttemptListener[0];

	private volatile Consumer<Upstream> onCreated = upstream -> {
	};

	private volatile Consumer<Upstream> onHealthCheckChanged = upstream -> {
	};

	/** Every upstream with the same properties (tests, and code without per-upstream configuration). */
	public UpstreamRegistry(UpstreamProperties properties, Clock clock) {
		this(name -> properties, clock);
	}

	/** Each upstream with its own properties, looked up by name when the upstream is first seen. */
	public UpstreamRegistry(Function<String, UpstreamProperties> settings, Clock clock) {
		this.settings = settings;
		this.clock = clock;
	}

	public Upstream upstream(String name) {
		Upstream upstream = this.upstreams.get(name);
		return (upstream != null) ? upstream : this.upstreams.computeIfAbsent(name, this::create);
	}

	private Upstream create(String name) {
		Upstream upstream = new Upstream(name, this.settings.apply(name), this.clock::millis);
		this.onCreated.accept(upstream);
		return upstream;
	}

	/** Every upstream: each service discovery knows (synced at start-up and on refresh) and each that served. */
	public Map<String, Upstream> upstreams() {
		return Map.copyOf(this.upstreams);
	}

	/** Tells {@code listener} of every attempt from now on. */
	public synchronized void addListener(AttemptListener listener) {
		AttemptListener[] grown = Arrays.copyOf(this.listeners, this.listeners.length + 1);
		grown[grown.length - 1] = listener;
		this.listeners = grown;
	}

	/** Calls {@code consumer} when a reload changed an upstream's health check (health checks reschedule it). */
	public synchronized void onHealthCheckChanged(Consumer<Upstream> consumer) {
		this.onHealthCheckChanged = this.onHealthCheckChanged.andThen(consumer);
	}

	void healthCheckChanged(Upstream upstream) {
		this.onHealthCheckChanged.accept(upstream);
	}

	/** Calls {@code consumer} for every upstream there is and every one created from now on (health checks). */
	public synchronized void onCreated(Consumer<Upstream> consumer) {
		this.onCreated = this.onCreated.andThen(consumer);
		this.upstreams.values().forEach(consumer);
	}

	public InstanceAttempt start(String upstream, InstanceState instance) {
		instance.attemptStarted();
		for (AttemptListener listener : this.listeners) {
			listener.attemptStarted(upstream, instance);
		}
		return new InstanceAttempt(this, upstream, instance);
	}

	void ended(AttemptResult result) {
		upstream(result.upstream()).attemptEnded(result, now());
		for (AttemptListener listener : this.listeners) {
			listener.attemptEnded(result);
		}
	}

	/** Current time in epoch millis, from the clock tests can move. */
	public long now() {
		return this.clock.millis();
	}

}
