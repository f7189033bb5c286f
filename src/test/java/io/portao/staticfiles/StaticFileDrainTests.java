package io.portao.staticfiles;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StaticFileDrain}: stopping turns new requests away from the pipeline's static lane at once and waits
 * for its responses in flight, within the shutdown phase's timeout.
 */
class StaticFileDrainTests {

	@Test
	void stopWaitsForTheResponsesInFlight() throws Exception {
		StaticFileDrain drain = new StaticFileDrain(Duration.ofSeconds(10));
		drain.start();
		drain.begin();
		drain.begin();
		drain.end();

		CompletableFuture<Long> stopped = CompletableFuture.supplyAsync(() -> {
			long start = System.nanoTime();
			drain.stop();
			return System.nanoTime() - start;
		});
		TimeUnit.MILLISECONDS.sleep(300);
		assertThat(drain.draining()).isTrue();
		assertThat(stopped).isNotDone();
		drain.end();

		assertThat(Duration.ofNanos(stopped.get(5, TimeUnit.SECONDS))).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(drain.isRunning()).isFalse();
		assertThat(drain.inFlight()).isZero();
	}

	@Test
	void stopGivesUpAfterItsTimeout() {
		StaticFileDrain drain = new StaticFileDrain(Duration.ofMillis(200));
		drain.start();
		drain.begin();

		long start = System.nanoTime();
		drain.stop();

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(200), Duration.ofSeconds(5));
		assertThat(drain.inFlight()).isOne();
		assertThat(drain.isRunning()).isFalse();
	}

	@Test
	void stopsBeforeTheWebServersGracefulShutdown() {
		assertThat(new StaticFileDrain(Duration.ofSeconds(1)).getPhase()).isGreaterThan(
				org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE);
	}

	@Test
	void takesRequestsAgainWhenStartedAgain() {
		StaticFileDrain drain = new StaticFileDrain(Duration.ofMillis(10));
		drain.start();
		drain.stop();
		assertThat(drain.draining()).isTrue();

		drain.start();

		assertThat(drain.draining()).isFalse();
		assertThat(drain.isRunning()).isTrue();
	}

}
