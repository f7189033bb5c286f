package io.portao.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;

import io.portao.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/** The choices of each policy, with weights, backups, ties, ejected and tried instances. */
class UpstreamLoadBalancerTests {

	final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	static ServiceInstance instance(int port, String... metadata) {
		Map<String, String> map = new HashMap<>();
		for (int i = 0; i < metadata.length; i += 2) {
			map.put(metadata[i], metadata[i + 1]);
		}
		return new DefaultServiceInstance("bapis-" + port, "bapis", "127.0.0.1", port, false, map);
	}

	static UpstreamProperties settings(String... keyValues) {
		Map<String, String> map = new HashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			map.put(keyValues[i], keyValues[i + 1]);
		}
		return UpstreamPropertiesFixtures.bind(map);
	}

	/** A balancer for {@code instances} under {@code settings}. */
	final class Fixture {

		final UpstreamRegistry registry;

		final UpstreamLoadBalancer balancer;

		final List<ServiceInstance> instances;

		Fixture(UpstreamProperties settings, ServiceInstance... instances) {
			this.registry = new UpstreamRegistry(settings, UpstreamLoadBalancerTests.this.clock);
			this.balancer = new UpstreamLoadBalancer(null, this.registry, "bapis");
			this.instances = List.of(instances);
		}

		int pick(Set<String> tried) {
			Response<ServiceInstance> response = this.balancer.choose(this.instances, tried);
			return response.hasServer() ? response.getServer().getPort() : -1;
		}

		List<Integer> picks(int n) {
			List<Integer> picks = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				picks.add(pick(Set.of()));
			}
			return picks;
		}

		/** The state of the fixture's instance on {@code port}, with its metadata. */
		InstanceState state(int port) {
			ServiceInstance known = this.instances.stream().filter(i -> i.getPort() == port).findFirst()
				.orElseGet(() -> instance(port));
			return this.registry.upstream("bapis").instance(known);
		}

		void fail(int port) {
			this.registry.upstream("bapis").recordFailure(state(port), this.registry.now(), "connect refused");
		}

		void inFlight(int port, int count) {
			for (int i = 0; i < count; i++) {
				state(port).attemptStarted();
			}
		}

	}

	Fixture roundRobin(ServiceInstance... instances) {
		return new Fixture(settings("max-ejected-percent", "100"), instances);
	}

	@Test
	void roundRobinCyclesThroughEqualInstancesInOrder() {
		Fixture f = roundRobin(instance(8080), instance(8081), instance(8082));
		assertThat(f.picks(6)).containsExactly(8080, 8081, 8082, 8080, 8081, 8082);
	}

	@Test
	void roundRobinIsSmoothWithWeightsLikeNginx() {
		// nginx's example in ngx_http_upstream_round_robin.c: weights 5, 1, 1 give a a b a c a a.
		Fixture f = roundRobin(instance(8080, "weight", "5"), instance(8081), instance(8082));
		assertThat(f.picks(7)).containsExactly(8080, 8080, 8081, 8080, 8082, 8080, 8080);
	}

	@Test
	void neverPicksAnInstanceThisRequestAlreadyTried() {
		Fixture f = roundRobin(instance(8080), instance(8081), instance(8082));
		for (int i = 0; i < 6; i++) {
			assertThat(f.pick(Set.of("127.0.0.1:8080", "127.0.0.1:8082"))).isEqualTo(8081);
		}
		assertThat(f.pick(Set.of("127.0.0.1:8080", "127.0.0.1:8081", "127.0.0.1:8082"))).isEqualTo(-1);
	}

	/**
	 * nginx's {@code peer->checked}: back from its ejection, the instance gets one trial request per
	 * {@code fail-timeout}; the others go elsewhere until one answer comes from it.
	 */
	@Test
	void anInstanceBackFromEjectionTakesOneTrialRequestUntilItAnswers() {
		Fixture f = roundRobin(instance(8080), instance(8081), instance(8082));
		f.fail(8081);
		this.clock.advance(Duration.ofSeconds(10));
		List<Integer> picks = f.picks(30);
		assertThat(picks).as("one trial").containsOnlyOnce(8081);
		this.clock.advance(Duration.ofSeconds(9));
		assertThat(f.picks(30)).as("no second trial within fail-timeout").doesNotContain(8081);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(f.picks(30)).as("the next trial").containsOnlyOnce(8081);
		f.state(8081).recordSuccess(f.registry.now());
		assertThat(f.picks(30)).as("an answer: back in full").filteredOn(port -> port == 8081).hasSize(10);
	}

	@Test
	void skipsAnEjectedInstanceForFailTimeoutOnly() {
		Fixture f = roundRobin(instance(8080), instance(8081), instance(8082));
		f.fail(8081);
		assertThat(f.picks(6)).doesNotContain(8081);
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(f.picks(3)).contains(8081);
	}

	/**
	 * nginx's {@code server ... max_fails=N fail_timeout=T}, per server: an instance's metadata replaces the
	 * upstream's {@code max-fails} and {@code fail-timeout} for that instance alone.
	 */
	@Test
	void anInstancesOwnMaxFailsAndFailTimeoutReplaceTheUpstreams() {
		Fixture f = roundRobin(instance(8080, "max-fails", "0"), instance(8081, "max-fails", "3", "fail-timeout", "30s"),
				instance(8082, "fail-timeout", "2s"));
		f.fail(8080);
		f.fail(8080);
		assertThat(f.state(8080).status(f.registry.now())).as("max-fails 0: never ejected").isEqualTo(InstanceStatus.UP);
		f.fail(8081);
		f.fail(8081);
		assertThat(f.picks(6)).as("two of its three failures").contains(8081);
		f.fail(8081);
		assertThat(f.picks(6)).as("its third failure ejects it").doesNotContain(8081);
		this.clock.advance(Duration.ofSeconds(29));
		assertThat(f.picks(6)).as("for its own fail-timeout, 30s").doesNotContain(8081);
		f.fail(8082);
		assertThat(f.picks(6)).as("the upstream's max-fails, 1").doesNotContain(8082);
		this.clock.advance(Duration.ofSeconds(2));
		assertThat(f.picks(9)).as("back after its own fail-timeout, 2s, and 30s for the other").contains(8081, 8082);
	}

	@Test
	void triesOutInstancesAnywayWhenAllAreOut() {
		Fixture f = roundRobin(instance(8080), instance(8081), instance(8082));
		f.fail(8080);
		f.fail(8081);
		f.fail(8082);
		assertThat(f.pick(Set.of())).isIn(8080, 8081, 8082);
		assertThat(f.pick(Set.of("127.0.0.1:8080", "127.0.0.1:8081"))).isEqualTo(8082);
	}

	@Test
	void backupsOnlyWhenEveryPrimaryIsOutAndDownNever() {
		Fixture f = roundRobin(instance(8080), instance(8081, "backup", "true"), instance(8082, "down", "true"));
		assertThat(f.picks(4)).containsOnly(8080);
		f.fail(8080);
		assertThat(f.picks(4)).containsOnly(8081);
		assertThat(f.pick(Set.of("127.0.0.1:8081"))).as("panic: the ejected primary, never the down one")
			.isEqualTo(8080);
		assertThat(f.state(8082).status(f.registry.now())).isEqualTo(InstanceStatus.DOWN);
	}

	@Test
	void noInstancesGiveAnEmptyResponse() {
		assertThat(roundRobin().balancer.choose(List.of(), Set.of()).hasServer()).isFalse();
	}

	@Test
	void leastConnectionsPicksFewestInFlightPerWeightTiesInRoundRobin() {
		Fixture f = new Fixture(settings("policy", "least-connections"), instance(8080), instance(8081),
				instance(8082, "weight", "3"));
		f.inFlight(8080, 2);
		f.inFlight(8081, 1);
		f.inFlight(8082, 4);
		assertThat(f.picks(3)).as("8082 has 4/3 per weight, 8081 1").containsOnly(8081);
		f.inFlight(8081, 1);
		f.inFlight(8082, 2);
		// 8080: 2/1, 8081: 2/1, 8082: 6/3: a three-way tie, broken by weighted round robin.
		assertThat(f.picks(5)).containsExactly(8082, 8080, 8082, 8081, 8082);
	}

	@Test
	void randomTwoChoicesNeverPicksTheMoreLoadedOfTwo() {
		Fixture f = new Fixture(settings("policy", "random-two-choices"), instance(8080), instance(8081));
		f.inFlight(8081, 5);
		assertThat(f.picks(50)).containsOnly(8080);
		f.inFlight(8080, 10);
		assertThat(f.picks(50)).containsOnly(8081);
	}

	@Test
	void randomTwoChoicesSpreadsByWeightWhenIdle() {
		Fixture f = new Fixture(settings("policy", "random-two-choices"), instance(8080), instance(8081),
				instance(8082));
		assertThat(f.picks(300)).contains(8080, 8081, 8082);
	}

	@Test
	void leastTimePrefersTheFasterInstanceAndForgetsWithTheDecay() {
		Fixture f = new Fixture(settings("policy", "least-time", "least-time-decay", "10s"), instance(8080),
				instance(8081));
		f.state(8080).observeLatency(Duration.ofMillis(2).toNanos(), f.registry.now());
		f.state(8081).observeLatency(Duration.ofMillis(100).toNanos(), f.registry.now());
		assertThat(f.picks(10)).containsOnly(8080);
		f.inFlight(8080, 60);
		assertThat(f.pick(Set.of())).as("2 ms × 61 in flight costs more than 100 ms × 1").isEqualTo(8081);
		assertThat(f.state(8081).latencyMicros(f.registry.now())).isEqualTo(100_000.0);
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(f.state(8081).latencyMicros(f.registry.now())).isCloseTo(100_000 / Math.E,
				org.assertj.core.data.Percentage.withPercentage(1));
	}

	@Test
	void leastTimeWithoutSamplesIsRoundRobin() {
		Fixture f = new Fixture(settings("policy", "least-time"), instance(8080), instance(8081));
		assertThat(f.picks(4)).containsExactly(8080, 8081, 8080, 8081);
	}

}
