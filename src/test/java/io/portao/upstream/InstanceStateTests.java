package io.portao.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

import io.portao.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/** Passive ejection (max_fails/fail_timeout, doubling, max-ejected-percent) and slow start, on a moved clock. */
class InstanceStateTests {

	final MutableClock clock = new MutableClock(Instant.ofEpochMilli(1_000));

	Upstream upstream(String... settings) {
		Map<String, String> map = new java.util.HashMap<>();
		for (int i = 0; i < settings.length; i += 2) {
			map.put(settings[i], settings[i + 1]);
		}
		return new UpstreamRegistry(UpstreamPropertiesFixtures.bind(map), this.clock).upstream("bapis");
	}

	static ServiceInstance instance(int port) {
		return new DefaultServiceInstance("i" + port, "bapis", "127.0.0.1", port, false);
	}

	long now() {
		return this.clock.millis();
	}

	void fail(Upstream upstream, InstanceState state) {
		upstream.recordFailure(state, now(), "connect refused");
	}

	@Test
	void oneFailureEjectsForFailTimeoutWithNginxDefaults() {
		Upstream upstream = upstream();
		InstanceState state = upstream.instance(instance(8080));
		fail(upstream, state);
		assertThat(state.status(1_000)).isEqualTo(InstanceStatus.EJECTED);
		assertThat(state.isEjected(10_999)).isTrue();
		assertThat(state.isEjected(11_000)).isFalse();
		assertThat(state.lastFailureCause()).isEqualTo("connect refused");
		assertThat(state.lastFailureAt()).isEqualTo(Instant.ofEpochMilli(1_000));
		assertThat(state.ejectedUntil()).isEqualTo(11_000);
	}

	@Test
	void maxFailsCountsOnlyWithinTheWindow() {
		Upstream upstream = upstream("max-fails", "3");
		InstanceState state = upstream.instance(instance(8080));
		fail(upstream, state);
		this.clock.advance(Duration.ofSeconds(5));
		fail(upstream, state);
		assertThat(state.isEjected(now())).isFalse();
		this.clock.advance(Duration.ofSeconds(15));
		fail(upstream, state);
		assertThat(state.isEjected(now())).as("the first two fell out of the window").isFalse();
		fail(upstream, state);
		fail(upstream, state);
		assertThat(state.isEjected(now())).isTrue();
	}

	@Test
	void successClearsTheCount() {
		Upstream upstream = upstream("max-fails", "2");
		InstanceState state = upstream.instance(instance(8080));
		fail(upstream, state);
		state.recordSuccess(now());
		fail(upstream, state);
		assertThat(state.isEjected(now())).isFalse();
	}

	@Test
	void maxFailsZeroNeverEjects() {
		Upstream upstream = upstream("max-fails", "0");
		InstanceState state = upstream.instance(instance(8080));
		for (int i = 0; i < 10; i++) {
			fail(upstream, state);
		}
		assertThat(state.isEjected(now())).isFalse();
	}

	@Test
	void consecutiveEjectionsDoubleUpToTheCapAndASuccessResetsThem() {
		Upstream upstream = upstream("fail-timeout", "10s", "max-ejection-time", "35s");
		InstanceState state = upstream.instance(instance(8080));
		long[] expected = { 10_000, 20_000, 35_000, 35_000 };
		for (long duration : expected) {
			long start = now();
			fail(upstream, state);
			assertThat(state.ejectedUntil() - start).isEqualTo(duration);
			this.clock.advance(Duration.ofMillis(duration));
		}
		state.recordSuccess(now());
		long start = now();
		fail(upstream, state);
		assertThat(state.ejectedUntil() - start).as("a success reset the doubling").isEqualTo(10_000);
		this.clock.advance(Duration.ofSeconds(10));
		fail(upstream, state);
		assertThat(state.ejectedUntil() - now()).as("failed again right after coming back").isEqualTo(20_000);
		this.clock.advance(Duration.ofSeconds(20 + 20));
		fail(upstream, state);
		assertThat(state.ejectedUntil() - now()).as("stayed in as long as it was last out: not consecutive")
			.isEqualTo(10_000);
	}

	@Test
	void failuresWhileEjectedDoNotExtendTheEjection() {
		Upstream upstream = upstream();
		InstanceState state = upstream.instance(instance(8080));
		fail(upstream, state);
		this.clock.advance(Duration.ofSeconds(5));
		fail(upstream, state);
		assertThat(state.ejectedUntil()).isEqualTo(11_000);
		this.clock.advance(Duration.ofSeconds(5));
		fail(upstream, state);
		assertThat(state.ejectedUntil() - now()).as("the second ejection, not the third").isEqualTo(20_000);
	}

	@Test
	void ejectsEveryFailingInstanceByDefaultAsNginx() {
		Upstream upstream = upstream();
		upstream.sync(List.of(instance(8080), instance(8081), instance(8082)));
		upstream.instances().values().forEach(state -> fail(upstream, state));
		assertThat(upstream.instances().values().stream().filter(s -> s.isEjected(now()))).hasSize(3);
	}

	@Test
	void neverEjectsMoreThanMaxEjectedPercentButAlwaysOne() {
		Upstream upstream = upstream("max-ejected-percent", "50");
		upstream.sync(List.of(instance(8080), instance(8081), instance(8082), instance(8083)));
		Map<String, InstanceState> states = upstream.instances();
		fail(upstream, states.get("127.0.0.1:8080"));
		fail(upstream, states.get("127.0.0.1:8081"));
		fail(upstream, states.get("127.0.0.1:8082"));
		assertThat(states.values().stream().filter(s -> s.isEjected(now()))).as("50 % of 4").hasSize(2);
		assertThat(states.get("127.0.0.1:8082").lastFailureCause()).isEqualTo("connect refused");

		Upstream single = upstream("max-ejected-percent", "0");
		single.sync(List.of(instance(9090), instance(9091)));
		fail(single, single.instances().get("127.0.0.1:9090"));
		fail(single, single.instances().get("127.0.0.1:9091"));
		assertThat(single.instances().values().stream().filter(s -> s.isEjected(now()))).as("one always may")
			.hasSize(1);
	}

	@Test
	void failOnDecidesWhichAttemptsCount() {
		Upstream upstream = upstream("fail-on", "http_503");
		InstanceState state = upstream.instance(instance(8080));
		upstream.attemptEnded(new AttemptResult("bapis", state, AttemptResult.Outcome.CONNECT, 0, 1, 1, "connect refused"),
				now());
		assertThat(state.isEjected(now())).as("error is not in fail-on").isFalse();
		upstream.attemptEnded(new AttemptResult("bapis", state, AttemptResult.Outcome.RESPONSE, 502, 1, 1, null), now());
		assertThat(state.isEjected(now())).isFalse();
		upstream.attemptEnded(new AttemptResult("bapis", state, AttemptResult.Outcome.RESPONSE, 503, 1, 1, null), now());
		assertThat(state.isEjected(now())).isTrue();
		assertThat(state.lastFailureCause()).isEqualTo("http 503");
	}

	@Test
	void defaultFailOnCountsTimeoutsButNot5xx() {
		Upstream upstream = upstream("max-ejected-percent", "100");
		InstanceState a = upstream.instance(instance(8080));
		InstanceState b = upstream.instance(instance(8081));
		upstream.attemptEnded(new AttemptResult("bapis", a, AttemptResult.Outcome.RESPONSE, 502, 1, 1, null), now());
		upstream.attemptEnded(new AttemptResult("bapis", b, AttemptResult.Outcome.TIMEOUT, 0, 1, 1, "timeout"), now());
		assertThat(a.isEjected(now())).isFalse();
		assertThat(b.isEjected(now())).isTrue();
	}

	@Test
	void slowStartRampsTheWeightAfterAnEjectionAndForANewInstance() {
		Upstream upstream = upstream("slow-start", "30s", "max-ejected-percent", "100");
		upstream.sync(List.of(instance(8080)));
		InstanceState state = upstream.instances().get("127.0.0.1:8080");
		assertThat(state.effectiveWeight(now())).as("present from the start: full weight").isEqualTo(100);
		fail(upstream, state);
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(state.effectiveWeight(now())).as("back from ejection").isEqualTo(10);
		this.clock.advance(Duration.ofSeconds(15));
		assertThat(state.effectiveWeight(now())).isEqualTo(55);
		this.clock.advance(Duration.ofSeconds(15));
		assertThat(state.effectiveWeight(now())).isEqualTo(100);

		upstream.sync(List.of(instance(8080), instance(8081)));
		InstanceState added = upstream.instances().get("127.0.0.1:8081");
		assertThat(added.effectiveWeight(now())).isEqualTo(10);
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(added.effectiveWeight(now())).isEqualTo(100);
	}

	@Test
	void slowStartShiftsRoundRobinTraffic() {
		Upstream upstream = upstream("slow-start", "100s");
		UpstreamRegistry registry = new UpstreamRegistry(upstream.settings(), this.clock);
		UpstreamLoadBalancer balancer = new UpstreamLoadBalancer(null, registry, "bapis");
		List<ServiceInstance> one = List.of(instance(8080));
		balancer.choose(one, java.util.Set.of());
		List<ServiceInstance> two = List.of(instance(8080), instance(8081));
		int added = 0;
		for (int i = 0; i < 110; i++) {
			added += (balancer.choose(two, java.util.Set.of()).getServer().getPort() == 8081) ? 1 : 0;
		}
		assertThat(added).as("about 10 of 110 at 10 % weight").isBetween(8, 12);
	}

	@Test
	void healthThresholdsMoveBetweenUpAndDownAndSlowStartTheReturn() {
		Upstream upstream = upstream("slow-start", "10s");
		InstanceState state = upstream.instance(instance(8080));
		HealthCheckProperties check = new HealthCheckProperties(true, "/health", Duration.ofSeconds(5),
				Duration.ofSeconds(1), 2, 3, List.of("2xx"));
		for (int i = 0; i < 2; i++) {
			assertThat(state.probes().start()).isTrue();
			assertThat(state.probes().start()).as("one probe in flight").isFalse();
			state.probeEnded(false, now(), "http 500", check);
		}
		assertThat(state.status(now())).isEqualTo(InstanceStatus.UP);
		state.probes().start();
		state.probeEnded(false, now(), "connect refused", check);
		assertThat(state.status(now())).isEqualTo(InstanceStatus.DOWN);
		assertThat(state.lastFailureCause()).isEqualTo("health check: connect refused");
		state.probeEnded(true, now(), "", check);
		assertThat(state.status(now())).isEqualTo(InstanceStatus.DOWN);
		state.probeEnded(true, now(), "", check);
		assertThat(state.status(now())).isEqualTo(InstanceStatus.UP);
		assertThat(state.effectiveWeight(now())).isEqualTo(10);
	}

	/** An operator's drain, down and up (NGINX Plus API {@code drain}/{@code down}): status and who is held out. */
	@Test
	void anOperatorsSettingWinsOverMetadataButNotOverAFailedHealthCheck() {
		Upstream upstream = upstream("slow-start", "10s");
		InstanceState state = upstream.instance(instance(8080));
		state.attemptStarted();
		assertThat(upstream.control("127.0.0.1:8080", InstanceControl.DRAIN)).isSameAs(state);
		assertThat(state.status(now())).isEqualTo(InstanceStatus.DRAINING);
		assertThat(state.isHeldOut()).isTrue();
		state.attemptEnded(AttemptResult.Outcome.RESPONSE);
		assertThat(state.status(now())).as("nothing left in flight").isEqualTo(InstanceStatus.DRAINED);
		upstream.control("127.0.0.1:8080", InstanceControl.DOWN);
		assertThat(state.status(now())).isEqualTo(InstanceStatus.DOWN);
		assertThat(state.isHeldOut()).isTrue();
		upstream.control("127.0.0.1:8080", InstanceControl.UP);
		assertThat(state.status(now())).isEqualTo(InstanceStatus.UP);
		assertThat(state.isHeldOut()).isFalse();
		assertThat(state.effectiveWeight(now())).as("back from being held out: slow start").isEqualTo(10);

		state.metadata(new InstanceMetadata(1, false, true, -1, null));
		assertThat(state.status(now())).as("up wins over metadata down").isEqualTo(InstanceStatus.UP);
		HealthCheckProperties check = new HealthCheckProperties(true, "/", Duration.ofSeconds(5), Duration.ofSeconds(1),
				1, 1, List.of("2xx"));
		state.probes().start();
		state.probeEnded(false, now(), "http 500", check);
		assertThat(state.status(now())).as("a failed health check wins over up").isEqualTo(InstanceStatus.DOWN);
		assertThat(upstream.control("127.0.0.1:9999", InstanceControl.DRAIN)).as("no such instance").isNull();
	}

}
