package io.portao.limits;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import io.portao.config.InvalidConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every limit's default, as documented in docs/hardening.md, and bad values refused with a clear message. */
class LimitsPropertiesTests {

	private static LimitsProperties bind(Map<String, String> properties) {
		Binder binder = new Binder(new MapConfigurationPropertySource(properties));
		return binder.bindOrCreate(LimitsProperties.PREFIX, Bindable.of(LimitsProperties.class));
	}

	@Test
	void defaultsAreNginxsOrFinite() {
		LimitsProperties limits = bind(Map.of());
		assertThat(limits.headerTimeout()).isEqualTo(Duration.ofSeconds(60));
		assertThat(limits.bodyReadTimeout()).isEqualTo(Duration.ofSeconds(60));
		assertThat(limits.maxBodySize()).isEqualTo(DataSize.ofMegabytes(1));
		assertThat(limits.maxHeaderCount()).isEqualTo(100);
		assertThat(limits.maxConnectionsPerInstance()).isZero();
		assertThat(limits.http2MaxConcurrentStreams()).isEqualTo(128);
		assertThat(limits.http2MaxResetFrames()).isEqualTo(200);
		assertThat(limits.http2ResetWindow()).isEqualTo(Duration.ofSeconds(30));
		assertThat(limits.lingeringTime()).isEqualTo(Duration.ofSeconds(30));
		assertThat(limits.lingeringTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(limits.lingeringMaxSize()).isEqualTo(DataSize.ofMegabytes(128));
	}

	@Test
	void badValuesAreRefusedNamingTheProperty() {
		assertThatThrownBy(() -> bind(Map.of("portao.limits.header-timeout", "0s"))).rootCause()
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessage("portao.limits.header-timeout: 0s (expected: a duration > 0, e.g. 60s)");
		assertThatThrownBy(() -> bind(Map.of("portao.limits.max-body-size", "-1B"))).rootCause()
			.hasMessageStartingWith("portao.limits.max-body-size:");
		assertThatThrownBy(() -> bind(Map.of("portao.limits.max-header-count", "0"))).rootCause()
			.hasMessage("portao.limits.max-header-count: 0 (expected: >= 1)");
		assertThatThrownBy(() -> bind(Map.of("portao.limits.max-connections-per-instance", "-1"))).rootCause()
			.hasMessage("portao.limits.max-connections-per-instance: -1 (expected: >= 0)");
		assertThatThrownBy(() -> bind(Map.of("portao.limits.http2-max-reset-frames", "0"))).rootCause()
			.hasMessage("portao.limits.http2-max-reset-frames: 0 (expected: >= 1)");
		assertThatThrownBy(() -> bind(Map.of("portao.limits.http2-reset-window", "500ms"))).rootCause()
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageStartingWith("portao.limits.http2-reset-window:")
			.hasMessageEndingWith("(expected: whole seconds >= 1s, e.g. 30s)");
		assertThatThrownBy(() -> bind(Map.of("portao.limits.http2-reset-window", "1500ms"))).rootCause()
			.hasMessageStartingWith("portao.limits.http2-reset-window:");
		assertThatThrownBy(() -> bind(Map.of("portao.limits.lingering-time", "-1s"))).rootCause()
			.hasMessageStartingWith("portao.limits.lingering-time:")
			.hasMessageEndingWith("(expected: a duration >= 0 (0: no lingering))");
		assertThatThrownBy(() -> bind(Map.of("portao.limits.lingering-timeout", "0s"))).rootCause()
			.hasMessage("portao.limits.lingering-timeout: 0s (expected: a duration > 0, e.g. 5s)");
		assertThatThrownBy(() -> bind(Map.of("portao.limits.lingering-max-size", "-1B"))).rootCause()
			.hasMessageStartingWith("portao.limits.lingering-max-size:");
	}

	@Test
	void zeroLingeringTimeAndSizeAreAccepted() {
		LimitsProperties limits = bind(
				Map.of("portao.limits.lingering-time", "0s", "portao.limits.lingering-max-size", "0"));
		assertThat(LingeringClose.Bounds.of(limits).enabled()).isFalse();
		assertThat(LingeringClose.Bounds.of(bind(Map.of())).enabled()).isTrue();
	}

	@Test
	void zeroBodySizeTurnsTheCapOff() {
		assertThat(bind(Map.of("portao.limits.max-body-size", "0")).maxBodySize().toBytes()).isZero();
		assertThat(bind(Map.of()).maxBodySize().toBytes()).isPositive();
	}

}
