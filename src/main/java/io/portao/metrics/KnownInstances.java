package io.portao.metrics;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;

import io.portao.upstream.InstanceState;
import io.portao.upstream.Upstream;
import io.portao.upstream.UpstreamRegistry;

/**
 * Every upstream and instance worth showing: those the gateway has sent requests to, plus the instances Spring
 * Cloud's {@link DiscoveryClient} lists for each {@code lb://} route target that nothing was sent to yet, so that
 * an instance never picked still shows up. Only route targets: a Kubernetes discovery client lists every Service
 * of the namespace.
 */
final class KnownInstances {

	private static final Duration ROUTES_TIMEOUT = Duration.ofSeconds(5);

	private final UpstreamRegistry registry;

	private final ObjectProvider<DiscoveryClient> discovery;

	private final ObjectProvider<RouteLocator> routes;

	private final UpstreamMetrics metrics;

	KnownInstances(UpstreamRegistry registry, ObjectProvider<DiscoveryClient> discovery,
			ObjectProvider<RouteLocator> routes, UpstreamMetrics metrics) {
		this.registry = registry;
		this.discovery = discovery;
		this.routes = routes;
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
		for (String service : routedUpstreams()) {
			List<ServiceInstance> instances = client.getInstances(service);
			if (instances.isEmpty()) {
				continue;
			}
			Upstream upstream = this.registry.upstream(service);
			instances.forEach(i -> this.metrics.register(service, upstream.instance(i)));
		}
	}

	/** The upstream names of {@code lb://} routes; the route cache answers at once, nothing waits on I/O. */
	private Set<String> routedUpstreams() {
		RouteLocator locator = this.routes.getIfAvailable();
		if (locator == null) {
			return Set.of();
		}
		List<String> hosts = locator.getRoutes()
			.map(Route::getUri)
			.filter(uri -> "lb".equals(uri.getScheme()) && uri.getHost() != null)
			.map(URI::getHost)
			.collectList()
			.block(ROUTES_TIMEOUT);
		return (hosts != null) ? new TreeSet<>(hosts) : Set.of();
	}

	static Map<String, InstanceState> sorted(Upstream upstream) {
		return new LinkedHashMap<>(new TreeMap<>(upstream.instances()));
	}

}
