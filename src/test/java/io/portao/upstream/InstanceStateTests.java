package io.portao.upstream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceStateTests {

	@Test
	void oneFailureEjectsForFailTimeoutWithNginxDefaults() {
		InstanceState state = new InstanceState("127.0.0.1:8080", 1, 10_000);
		state.recordFailure(1_000, "connect refused");
		assertThat(state.isEjected(1_000)).isTrue();
		assertThat(state.isEjected(10_999)).isTrue();
		assertThat(state.isEjected(11_000)).isFalse();
		assertThat(state.lastFailureCause()).isEqualTo("connect refused");
		assertThat(state.lastFailureAt()).isEqualTo(java.time.Instant.ofEpochMilli(1_000));
		assertThat(state.ejectedUntil()).isEqualTo(11_000);
	}

	@Test
	void maxFailsCountsOnlyWithinTheWindow() {
		InstanceState state = new InstanceState("127.0.0.1:8080", 3, 10_000);
		state.recordFailure(0, "x");
		state.recordFailure(5_000, "x");
		assertThat(state.isEjected(5_000)).isFalse();
		state.recordFailure(20_000, "x");
		assertThat(state.isEjected(20_000)).as("the first two fell out of the window").isFalse();
		state.recordFailure(21_000, "x");
		state.recordFailure(22_000, "x");
		assertThat(state.isEjected(22_000)).isTrue();
	}

	@Test
	void successClearsTheCount() {
		InstanceState state = new InstanceState("127.0.0.1:8080", 2, 10_000);
		state.recordFailure(0, "x");
		state.recordSuccess();
		state.recordFailure(1_000, "x");
		assertThat(state.isEjected(1_000)).isFalse();
	}

	@Test
	void maxFailsZeroNeverEjects() {
		InstanceState state = new InstanceState("127.0.0.1:8080", 0, 10_000);
		for (int i = 0; i < 10; i++) {
			state.recordFailure(i, "x");
		}
		assertThat(state.isEjected(10)).isFalse();
	}

}
