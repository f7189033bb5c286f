package io.portao.upstream.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import org.springframework.cloud.client.DefaultServiceInstance;

import io.portao.support.FakeBackend;
import io.portao.support.MutableClock;
import io.portao.upstream.InstanceState;
import io.portao.upstream.InstanceStatus;
import io.portao.upstream.UpstreamPropertiesFixtures;
import io.portao.upstream.UpstreamRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Active health checks against a real backend, ticked by a virtual-time scheduler: a probe only when time is moved,
 * thresholds in a row, one probe in flight per instance, nothing after stop. Where a probe must not be sent, a
 * control (checks of their own on the same clock, probing a backend that answers at once) shows that the wait was
 * long enough for one to arrive.
 */
class HealthChecksIntegrationTests {

	final FakeBackend backend = FakeBackend.start("probed");

	final FakeBackend controlBackend = FakeBackend.start("control");

	final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	UpstreamRegistry registry;

	HealthChecks checks;

	InstanceState instance;

	HealthChecks control;

	InstanceState controlInstance;

	@AfterEach
	void stop() {
		if (this.checks != null) {
			this.checks.stop();
		}
		if (this.control != null) {
			this.control.stop();
		}
		this.scheduler.dispose();
		this.backend.close();
		this.controlBackend.close();
	}

	/** Probes every 5 s, two in a row to change state, each with {@code timeout}. */
	void start(String timeout) {
		this.registry = registry(timeout);
		this.checks = new HealthChecks(this.registry, this.scheduler);
		this.instance = instance(this.registry, this.backend);
		this.checks.start();
	}

	/**
	 * Starts the control after the checks under test, so that at each tick theirs run first: when the control's
	 * probe of a tick has arrived, a probe the checks under test sent at that tick or before had as long.
	 */
	void startControl() {
		UpstreamRegistry controlRegistry = registry("1s");
		this.control = new HealthChecks(controlRegistry, this.scheduler);
		this.controlInstance = instance(controlRegistry, this.controlBackend);
		this.control.start();
		awaitControlProbes();
	}

	UpstreamRegistry registry(String timeout) {
		return new UpstreamRegistry(UpstreamPropertiesFixtures.bind(Map.of("health-check.enabled", "true",
				"health-check.path", "/health", "health-check.interval", "5s", "health-check.timeout", timeout,
				"health-check.unhealthy-threshold", "2", "health-check.healthy-threshold", "2")),
				new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
	}

	static InstanceState instance(UpstreamRegistry registry, FakeBackend backend) {
		registry.upstream("bapis")
			.sync(List.of(new DefaultServiceInstance("a", "bapis", "127.0.0.1", backend.port(), false)));
		return registry.upstream("bapis").instances().values().iterator().next();
	}

	/** One interval: one probe, awaited to its end. */
	void tick() {
		int before = this.backend.requestCount();
		this.scheduler.advanceTimeBy(Duration.ofSeconds(5));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.backend.requestCount() > before && !this.instance.probes().inFlight());
	}

	/**
	 * Moves the clock by {@code seconds}, one interval at most at a time, awaiting the control's probe of every
	 * tick passed (one step never passes two ticks, which would find the control's previous probe in flight).
	 */
	void advance(int seconds) {
		for (int step; seconds > 0; seconds -= step) {
			step = Math.min(seconds, 5);
			this.scheduler.advanceTimeBy(Duration.ofSeconds(step));
			awaitControlProbes();
		}
	}

	/** Until the control's probes of the ticks so far (at 0 s, 5 s, 10 s, ...) have arrived and ended. */
	void awaitControlProbes() {
		long ticks = this.scheduler.now(TimeUnit.SECONDS) / 5 + 1;
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.controlBackend.requestCount() == ticks && !this.controlInstance.probes().inFlight());
	}

	@Test
	void failingProbesInARowMakeTheInstanceDownAndPassingOnesBringItBack() {
		this.backend.status(500);
		start("1s");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.backend.requestCount() == 1 && !this.instance.probes().inFlight());
		assertThat(this.backend.received().get(0).uri()).isEqualTo("/health");
		assertThat(this.instance.status(this.registry.now())).as("one failure of two").isEqualTo(InstanceStatus.UP);
		tick();
		assertThat(this.instance.status(this.registry.now())).isEqualTo(InstanceStatus.DOWN);
		assertThat(this.instance.lastFailureCause()).isEqualTo("health check: http 500");
		this.backend.status(200);
		tick();
		assertThat(this.instance.status(this.registry.now())).isEqualTo(InstanceStatus.DOWN);
		tick();
		assertThat(this.instance.status(this.registry.now())).isEqualTo(InstanceStatus.UP);
	}

	@Test
	void aHangingInstanceHasOneProbeInFlightAndNoneAfterStop() {
		this.backend.handler((request, response) -> Mono.never());
		start("12s");
		startControl();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.backend.requestCount() == 1);
		advance(11);
		assertThat(this.instance.probes().inFlight()).as("hanging, within its 12 s timeout").isTrue();
		assertThat(this.backend.requestCount()).as("no second probe at 5 s and 10 s").isEqualTo(1);
		advance(2);
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.instance.probes().inFlight());
		assertThat(this.instance.lastFailureCause()).isEqualTo("health check: response timeout");
		advance(2);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.backend.requestCount() == 2);
		this.checks.stop();
		advance(60);
		assertThat(this.backend.requestCount()).as("none after stop, while the control got 12").isEqualTo(2);
	}

}
