package io.portao.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import org.springframework.cloud.client.DefaultServiceInstance;

import io.portao.support.FakeBackend;
import io.portao.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Active health checks against a real backend, ticked by a virtual-time scheduler: a probe only when time is moved,
 * thresholds in a row, one probe in flight per instance, nothing after stop.
 */
class HealthChecksIntegrationTests {

	final FakeBackend backend = FakeBackend.start("probed");

	final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	UpstreamRegistry registry;

	HealthChecks checks;

	InstanceState instance;

	@AfterEach
	void stop() {
		if (this.checks != null) {
			this.checks.stop();
		}
		this.scheduler.dispose();
		this.backend.close();
	}

	/** Probes every 5 s, two in a row to change state, each with {@code timeout}. */
	void start(String timeout) {
		this.registry = new UpstreamRegistry(UpstreamPropertiesBinder.bind(Map.of("health-check.enabled", "true",
				"health-check.path", "/health", "health-check.interval", "5s", "health-check.timeout", timeout,
				"health-check.unhealthy-threshold", "2", "health-check.healthy-threshold", "2")),
				new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
		this.checks = new HealthChecks(this.registry, this.scheduler);
		this.registry.upstream("bapis")
			.sync(List.of(new DefaultServiceInstance("a", "bapis", "127.0.0.1", this.backend.port(), false)));
		this.instance = this.registry.upstream("bapis").instances().values().iterator().next();
		this.checks.start();
	}

	/** One interval: one probe, awaited to its end. */
	void tick() {
		int before = this.backend.requestCount();
		this.scheduler.advanceTimeBy(Duration.ofSeconds(5));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.backend.requestCount() > before && !this.instance.isProbing());
	}

	@Test
	void failingProbesInARowMakeTheInstanceDownAndPassingOnesBringItBack() {
		this.backend.status(500);
		start("1s");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.backend.requestCount() == 1 && !this.instance.isProbing());
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
	void aHangingInstanceHasOneProbeInFlightAndNoneAfterStop() throws InterruptedException {
		this.backend.handler((request, response) -> Mono.never());
		start("12s");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.backend.requestCount() == 1);
		this.scheduler.advanceTimeBy(Duration.ofSeconds(11));
		Thread.sleep(200);
		assertThat(this.instance.isProbing()).as("hanging, within its 12 s timeout").isTrue();
		assertThat(this.backend.requestCount()).as("no second probe at 5 s and 10 s").isEqualTo(1);
		this.scheduler.advanceTimeBy(Duration.ofSeconds(2));
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.instance.isProbing());
		assertThat(this.instance.lastFailureCause()).isEqualTo("health check: response timeout");
		this.scheduler.advanceTimeBy(Duration.ofSeconds(2));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.backend.requestCount() == 2);
		this.checks.stop();
		this.scheduler.advanceTimeBy(Duration.ofSeconds(60));
		Thread.sleep(200);
		assertThat(this.backend.requestCount()).as("none after stop").isEqualTo(2);
	}

}
