package io.portao.upstream;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.discovery.simple.InstanceProperties;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClient;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryProperties;

import io.portao.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamDiscoverySyncTests {

	final UpstreamRegistry registry = new UpstreamRegistry(UpstreamPropertiesFixtures.defaults(),
			new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));

	final SimpleReactiveDiscoveryProperties properties = new SimpleReactiveDiscoveryProperties();

	final UpstreamDiscoverySync sync = new UpstreamDiscoverySync(new SimpleReactiveDiscoveryClient(this.properties),
			this.registry, () -> reactor.core.publisher.Flux.just("bapis", "other"));

	@Test
	void listsEveryInstanceBeforeTrafficAndForgetsRemovedOnes() {
		this.properties.setInstances(Map.of("bapis", List.of(instance("bapis", 8080), instance("bapis", 8081)), "other",
				List.of(instance("other", 9090)), "unrouted", List.of(instance("unrouted", 9091))));
		this.sync.sync().block(Duration.ofSeconds(5));
		// Only route targets: a Kubernetes discovery client lists every Service of the namespace.
		assertThat(this.registry.upstreams()).containsOnlyKeys("bapis", "other");
		assertThat(this.registry.upstream("bapis").instances()).containsOnlyKeys("127.0.0.1:8080", "127.0.0.1:8081");
		InstanceState kept = this.registry.upstream("bapis").instances().get("127.0.0.1:8080");
		assertThat(kept.status(this.registry.now())).isEqualTo(InstanceStatus.UP);
		assertThat(this.registry.upstream("bapis").policy()).isEqualTo("round-robin");

		this.properties.setInstances(Map.of("bapis", List.of(instance("bapis", 8080)), "other", List.of(instance("other", 9090))));
		this.sync.sync().block(Duration.ofSeconds(5));
		assertThat(this.registry.upstream("bapis").instances()).containsOnlyKeys("127.0.0.1:8080");
		assertThat(this.registry.upstream("bapis").instances().get("127.0.0.1:8080")).isSameAs(kept);
	}

	static InstanceProperties instance(String service, int port) {
		InstanceProperties instance = new InstanceProperties();
		instance.setServiceId(service);
		instance.setUri(URI.create("http://127.0.0.1:" + port));
		return instance;
	}

}
