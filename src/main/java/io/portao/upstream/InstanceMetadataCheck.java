package io.portao.upstream;

import java.time.Duration;
import java.util.List;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClient;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryProperties;

/**
 * Checks the {@code weight}/{@code backup}/{@code down} metadata of the statically configured instances
 * ({@code spring.cloud.discovery.client.simple.instances}) at start-up; instances from a live catalog are checked
 * when they arrive, and a bad value there is logged and ignored (weight 1) rather than failing traffic.
 */
final class InstanceMetadataCheck {

	private InstanceMetadataCheck() {
	}

	static void check(SimpleReactiveDiscoveryProperties properties) {
		// The simple client answers from its in-memory map: nothing waits on I/O here.
		SimpleReactiveDiscoveryClient client = new SimpleReactiveDiscoveryClient(properties);
		List<ServiceInstance> instances = client.getServices()
			.flatMap(client::getInstances)
			.collectList()
			.block(Duration.ofSeconds(5));
		if (instances != null) {
			instances.forEach(InstanceMetadata::of);
		}
	}

}
