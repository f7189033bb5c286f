package io.portao.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import io.portao.upstream.InstanceState;
import io.portao.upstream.Upstream;
import io.portao.upstream.UpstreamRegistry;

/**
 * Every upstream and instance worth showing: those the {@code upstream} package lists from discovery for each
 * {@code lb://} route target ({@code UpstreamDiscoverySync}) and those the gateway has sent requests to, each with
 * its meters, so that an instance never picked still shows up in the endpoint and the scrape.
 */
record KnownInstances(UpstreamRegistry registry, UpstreamMetrics metrics) {

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
	 * Creates the meters of every listed instance (once each: registering again finds the same handles) and drops
	 * those of instances no longer listed.
	 */
	void discover() {
		java.util.Set<InstanceState> listed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
		this.registry.upstreams().forEach((name, upstream) -> upstream.instances().values().forEach(instance -> {
			listed.add(instance);
			this.metrics.register(name, instance);
		}));
		this.metrics.retainOnly(listed);
	}

	static Map<String, InstanceState> sorted(Upstream upstream) {
		return new LinkedHashMap<>(new TreeMap<>(upstream.instances()));
	}

}
