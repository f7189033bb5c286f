package io.portao.upstream;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.cloud.client.ServiceInstance;

/**
 * One upstream (nginx {@code upstream} block, Spring Cloud service id): the round-robin position shared by its
 * requests and the state of each instance it has seen.
 */
public final class Upstream {

	private final String name;

	private final int maxFails;

	private final long failTimeoutMillis;

	private final AtomicInteger position = new AtomicInteger();

	private final Map<String, InstanceState> instances = new ConcurrentHashMap<>();

	Upstream(String name, int maxFails, long failTimeoutMillis) {
		this.name = name;
		this.maxFails = maxFails;
		this.failTimeoutMillis = failTimeoutMillis;
	}

	public String name() {
		return this.name;
	}

	/** The balancing policy as configured: {@code round-robin} (the default, nginx's). */
	public String policy() {
		return "round-robin";
	}

	/** The state of {@code instance}, created on first sight. */
	public InstanceState instance(ServiceInstance instance) {
		String authority = authority(instance);
		InstanceState state = this.instances.get(authority);
		return (state != null) ? state
				: this.instances.computeIfAbsent(authority, a -> new InstanceState(a, this.maxFails, this.failTimeoutMillis));
	}

	/**
	 * Makes the known instances exactly {@code current}, the service's instance list from discovery: new ones are
	 * added, and those gone from discovery are forgotten.
	 */
	public void sync(List<ServiceInstance> current) {
		Set<String> present = new HashSet<>();
		for (ServiceInstance instance : current) {
			present.add(instance(instance).authority());
		}
		this.instances.keySet().retainAll(present);
	}

	/**
	 * Every instance of the upstream, by {@code host:port}: each one discovery lists (synced at start-up and on
	 * every discovery refresh, before any traffic) plus any the balancer was handed since the last sync.
	 */
	public Map<String, InstanceState> instances() {
		return Map.copyOf(this.instances);
	}

	int nextPosition() {
		return this.position.getAndIncrement() & Integer.MAX_VALUE;
	}

	static String authority(ServiceInstance instance) {
		return instance.getHost() + ":" + instance.getPort();
	}

}
