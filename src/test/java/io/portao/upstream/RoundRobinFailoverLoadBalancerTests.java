package io.portao.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;

import io.portao.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

class RoundRobinFailoverLoadBalancerTests {

	final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	final UpstreamRegistry registry = new UpstreamRegistry(new UpstreamProperties(1, Duration.ofSeconds(10)), this.clock);

	final RoundRobinFailoverLoadBalancer balancer = new RoundRobinFailoverLoadBalancer(null, this.registry, "bapis");

	final List<ServiceInstance> instances = List.of(instance(8080), instance(8081), instance(8082));

	static ServiceInstance instance(int port) {
		return new DefaultServiceInstance("bapis-" + port, "bapis", "127.0.0.1", port, false);
	}

	private int pick(Set<String> tried) {
		Response<ServiceInstance> response = this.balancer.choose(this.instances, tried);
		return response.hasServer() ? response.getServer().getPort() : -1;
	}

	private void fail(int port) {
		this.registry.upstream("bapis").instance(instance(port)).recordFailure(this.registry.now(), "connect refused");
	}

	@Test
	void cyclesThroughInstancesInOrder() {
		List<Integer> picks = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			picks.add(pick(Set.of()));
		}
		assertThat(picks).containsExactly(8080, 8081, 8082, 8080, 8081, 8082);
	}

	@Test
	void neverPicksAnInstanceThisRequestAlreadyTried() {
		for (int i = 0; i < 6; i++) {
			assertThat(pick(Set.of("127.0.0.1:8080", "127.0.0.1:8082"))).isEqualTo(8081);
		}
		assertThat(pick(Set.of("127.0.0.1:8080", "127.0.0.1:8081", "127.0.0.1:8082"))).isEqualTo(-1);
	}

	@Test
	void skipsAFailedInstanceForFailTimeoutOnly() {
		fail(8081);
		for (int i = 0; i < 6; i++) {
			assertThat(pick(Set.of())).isNotEqualTo(8081);
		}
		this.clock.advance(Duration.ofSeconds(10));
		List<Integer> picks = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			picks.add(pick(Set.of()));
		}
		assertThat(picks).contains(8081);
	}

	@Test
	void triesOutInstancesAnywayWhenAllAreOut() {
		fail(8080);
		fail(8081);
		fail(8082);
		assertThat(pick(Set.of())).isIn(8080, 8081, 8082);
		assertThat(pick(Set.of("127.0.0.1:8080", "127.0.0.1:8081"))).isEqualTo(8082);
	}

	@Test
	void noInstancesGiveAnEmptyResponse() {
		assertThat(this.balancer.choose(List.of(), Set.of()).hasServer()).isFalse();
	}

}
