package io.portao.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

import io.portao.upstream.InstanceState;
import io.portao.upstream.Upstream;
import io.portao.upstream.UpstreamRegistry;

/**
 * Every upstream and instance worth showing: those the gateway has sent requests to, plus those Spring Cloud's
 * {@link DiscoveryClient} lists that nothing was sent to yet, so that an instance never picked still shows up.
 */
final class KnownInstances {

	private final UpstreamRegistry registry;

	private final ObjectProvider<DiscoveryClient> discovery;

	private final UpstreamMetrics metrics;

	KnownInstances(UpstreamRegistry registry, ObjectProvider<DiscoveryClient> discovery, UpstreamMetrics metrics) {
		this.registry = registry;
		this.discovery = discovery;
		this.metrics = metrics;
	}

	/** Upstreams by name, sorted, each with its instances sorted by {@code host:port}. */
	Map<String, Map<String, InstanceState>> all() {
		discover();
		Map<String, Map<String, InstanceState>> all = new TreeMap<>();
		this.registry.upstreams().forEach((name, upstream) -> all.put(name, sorted(upstream)));
		return all;
	}

	Upstream upstream(String name) {
		discover();
		return this.registry.upstreams().get(name);
	}

	/**
	 * Creates the state (and meters) of every discovered instance. {@link Upstream#instance(ServiceInstance)}
	 * creates a state on first sight, the same one the balancer would create.
	 */
	void discover() {
		DiscoveryClient client = this.discovery.getIfAvailable();
		if (client == null) {
			return;
		}
		for (String service : client.getServices()) {
			List<ServiceInstance> instances = client.getInstances(service);
			if (instances.isEmpty()) {
				continue;
			}
			Upstream upstream = this.registry.upstream(service);
			instances.forEach(i -> this.metrics.register(service, upstream.instance(i)));
		}
	}

	static Map<String, InstanceState> sorted(Upstream upstream) {
		return new LinkedHashMap<>(new TreeMap<>(upstream.instances()));
	}

}
