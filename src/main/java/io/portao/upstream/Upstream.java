package io.portao.upstream;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cloud.client.ServiceInstance;

import io.portao.config.InvalidConfigurationException;
import io.portao.upstream.balancing.Balancer;

/**
 * One upstream (nginx {@code upstream} block, Spring Cloud service id): its properties, its balancer, its retry
 * budget and the state of each of its instances.
 */
public final class Upstream {

	private static final Log logger = LogFactory.getLog(Upstream.class);

	private final String name;

	private volatile UpstreamProperties settings;

	private final LongSupplier clock;

	private volatile Balancer balancer;

	private volatile RetryBudget retryBudget;

	private final Map<String, InstanceState> instances = new ConcurrentHashMap<>();

	private volatile List<ServiceInstance> lastSynced;

	/**
	 * The states of the instances of {@link #lastSynced}, by identity: the balancer is handed the same cached list
	 * (and so the same instance objects) on every request, and building {@code host:port} plus a hash lookup per
	 * candidate per request cost ~1 % of the event loops (docs/performance.md). Replaced, never mutated.
	 */
	private volatile Map<ServiceInstance, InstanceState> byIdentity = Map.of();

	private volatile boolean populated;

	Upstream(String name, UpstreamProperties settings, LongSupplier clock) {
		this.name = name;
		this.settings = settings;
		this.clock = clock;
		this.balancer = Balancer.of(settings.policy());
		this.retryBudget = new RetryBudget(settings.retryBudget());
	}

	public String name() {
		return this.name;
	}

	/** The balancing policy as configured: {@code round-robin} (the default, nginx's), {@code least-time}, … */
	public String policy() {
		return this.settings.policyName();
	}

	/** This upstream's properties: {@code portao.upstreams.<name>.*} over {@code portao.upstream.*}. */
	public UpstreamProperties settings() {
		return this.settings;
	}

	/**
	 * Applies reloaded properties from the next request on: a new balancer when the policy changed (its rotation
	 * starts over), a new retry budget when its properties changed, and the new failure counting, ejection and
	 * slow-start to every instance, which keep their state. Whether anything changed.
	 */
	boolean settings(UpstreamProperties next) {
		UpstreamProperties current = this.settings;
		if (current.equals(next)) {
			return false;
		}
		if (current.policy() != next.policy()) {
			this.balancer = Balancer.of(next.policy());
		}
		if (!current.retryBudget().equals(next.retryBudget())) {
			this.retryBudget = new RetryBudget(next.retryBudget());
		}
		this.settings = next;
		this.instances.values().forEach(state -> state.settings(next));
		logger.info("upstream '" + this.name + "': reloaded properties apply from the next request");
		return true;
	}

	/** The state of {@code instance}, created on first sight. */
	public InstanceState instance(ServiceInstance instance) {
		InstanceState known = this.byIdentity.get(instance);
		if (known != null) {
			return known;
		}
		String authority = authority(instance);
		InstanceState state = this.instances.get(authority);
		return (state != null) ? state : this.instances.computeIfAbsent(authority, a -> create(a, instance));
	}

	private InstanceState create(String authority, ServiceInstance instance) {
		InstanceState state = new InstanceState(authority, this.settings);
		state.metadata(metadataOf(instance));
		if (this.populated) {
			state.added(this.clock.getAsLong());
		}
		return state;
	}

	/**
	 * Makes the known instances exactly {@code current}, the service's instance list from discovery: new ones are
	 * added (and slow-started once the upstream is running), metadata is refreshed, and those gone are forgotten.
	 */
	public void sync(List<ServiceInstance> current) {
		Set<String> present = new HashSet<>();
		Map<ServiceInstance, InstanceState> states = new IdentityHashMap<>();
		for (ServiceInstance instance : current) {
			InstanceState state = this.instances.computeIfAbsent(authority(instance), a -> create(a, instance));
			state.metadata(metadataOf(instance));
			present.add(state.authority());
			states.put(instance, state);
		}
		this.instances.keySet().retainAll(present);
		this.byIdentity = states;
		this.lastSynced = current;
		this.populated = true;
	}

	/** {@link #sync} when the balancer is handed a list other than the last one synced (cached lists are reused). */
	void syncIfChanged(List<ServiceInstance> current) {
		if (current != this.lastSynced) {
			sync(current);
		}
	}

	/**
	 * Every instance of the upstream, by {@code host:port}: each one discovery lists (synced at start-up and on
	 * every discovery refresh, before any traffic) plus any the balancer was handed since the last sync.
	 */
	public Map<String, InstanceState> instances() {
		return Map.copyOf(this.instances);
	}

	/**
	 * Applies an operator's setting to the instance {@code host:port}, effective for the next pick; its state, or
	 * {@code null} when the upstream has no such instance.
	 */
	public InstanceState control(String authority, InstanceControl control) {
		InstanceState state = this.instances.get(authority);
		if (state == null) {
			return null;
		}
		state.control(control, this.clock.getAsLong());
		logger.info("upstream '" + this.name + "' instance " + authority + " set " + control + " by an operator; now "
				+ state.status(this.clock.getAsLong()) + " with " + state.inFlight() + " in flight");
		return state;
	}

	/** How many instances the upstream has. */
	public int size() {
		return this.instances.size();
	}

	Balancer balancer() {
		return this.balancer;
	}

	public RetryBudget retryBudget() {
		return this.retryBudget;
	}

	/** Passive health: counts the attempt against the instance when {@code fail-on} says so; feeds latency. */
	void attemptEnded(AttemptResult result, long nowMillis) {
		InstanceState instance = result.instance();
		if (result.outcome() == AttemptResult.Outcome.RESPONSE || result.outcome() == AttemptResult.Outcome.TIMEOUT) {
			instance.observeLatency(result.headerNanos(), nowMillis);
		}
		if (UpstreamCondition.matches(this.settings.failOn(), result.outcome(), result.status())) {
			String cause = (result.cause() != null) ? result.cause() : "http " + result.status();
			if (recordFailure(instance, nowMillis, cause) && timedOut(result)) {
				instance.release().release();
			}
		}
		else if (result.outcome() == AttemptResult.Outcome.RESPONSE) {
			instance.recordSuccess(nowMillis);
		}
	}

	/**
	 * Counts a failure; ejects the instance unless that would exceed {@code max-ejected-percent}. True when it
	 * ejected the instance.
	 */
	boolean recordFailure(InstanceState instance, long nowMillis, String cause) {
		if (instance.countFailure(nowMillis, cause) && mayEject(instance, nowMillis)) {
			instance.eject(nowMillis);
			logger.warn("upstream '" + this.name + "' instance " + instance.authority() + " ejected until "
					+ java.time.Instant.ofEpochMilli(instance.ejectedUntil()) + " (" + cause + ")");
			return true;
		}
		return false;
	}

	/** No answer in time, or no connection in time: what keeps the other requests to the instance waiting. */
	private static boolean timedOut(AttemptResult result) {
		return result.outcome() == AttemptResult.Outcome.TIMEOUT || (result.outcome() == AttemptResult.Outcome.CONNECT
				&& NextUpstreamPolicy.CONNECT_TIMEOUT.equals(result.cause()));
	}

	/**
	 * Envoy's {@code max_ejection_percent}: an ejection that would leave more than that share of the instances
	 * ejected does not happen, except that one instance may always be ejected.
	 */
	private boolean mayEject(InstanceState candidate, long nowMillis) {
		int ejected = 0;
		for (InstanceState state : this.instances.values()) {
			if (state != candidate && state.isEjected(nowMillis)) {
				ejected++;
			}
		}
		int total = Math.max(this.instances.size(), 1);
		return ejected == 0 || (ejected + 1) * 100 <= this.settings.maxEjectedPercent() * total;
	}

	private InstanceMetadata metadataOf(ServiceInstance instance) {
		try {
			return InstanceMetadata.of(instance);
		}
		catch (InvalidConfigurationException ex) {
			logger.warn("upstream '" + this.name + "': " + ex.getMessage() + "; using weight 1");
			return InstanceMetadata.DEFAULT;
		}
	}

	public static String authority(ServiceInstance instance) {
		return instance.getHost() + ":" + instance.getPort();
	}

}
