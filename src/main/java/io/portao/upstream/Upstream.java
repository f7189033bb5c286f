package io.portao.upstream;

import java.util.Map;
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

	/** The balancing policy's name. */
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

	/** Every instance seen so far, by {@code host:port}. */
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
