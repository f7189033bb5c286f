package io.portao.metrics;

import java.time.Clock;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

import io.portao.upstream.Upstream;
import io.portao.upstream.UpstreamProperties;
import io.portao.upstream.UpstreamPropertiesFixtures;
import io.portao.upstream.UpstreamRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/** Meters follow the instances discovery lists: pods that go away take their series with them. */
class KnownInstancesTests {

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	final UpstreamRegistry registry = new UpstreamRegistry(UpstreamPropertiesFixtures.defaults(), Clock.systemUTC());

	final KnownInstances known = new KnownInstances(this.registry, new UpstreamMetrics(this.meters, this.registry));

	@Test
	void registersListedInstancesAndDropsTheSeriesOfRemovedOnes() {
		Upstream upstream = this.registry.upstream("bapis");
		upstream.sync(List.of(instance(8080), instance(8081)));
		this.known.discover();
		assertThat(instancesWithMeters()).containsExactlyInAnyOrder("127.0.0.1:8080", "127.0.0.1:8081");

		upstream.sync(List.of(instance(8080)));
		this.known.discover();
		assertThat(instancesWithMeters()).containsExactly("127.0.0.1:8080");
		assertThat(this.known.all().get("bapis")).containsOnlyKeys("127.0.0.1:8080");
	}

	private List<String> instancesWithMeters() {
		return this.meters.getMeters()
			.stream()
			.map(meter -> meter.getId().getTag(UpstreamMeterNames.SERVER))
			.distinct()
			.toList();
	}

	private static ServiceInstance instance(int port) {
		return new DefaultServiceInstance("bapis-" + port, "bapis", "127.0.0.1", port, false);
	}

}
