package io.portao.metrics;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code logback.events} counted by an appender, with no turbo filter on the level checks. */
class LogEventMetricsTests {

	private final LoggerContext context = new LoggerContext();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void countsTheEventsLoggedPerLevelAndAsksNothingOnLevelChecks() {
		new LogEventMetrics(this.context).bindTo(this.registry);
		Logger logger = this.context.getLogger("io.portao.test");
		logger.setLevel(ch.qos.logback.classic.Level.INFO);

		logger.error("one");
		logger.warn("two");
		logger.warn("three");
		logger.info("four");
		logger.debug("not enabled: not counted");
		assertThat(logger.isDebugEnabled()).isFalse();

		assertThat(count("error")).isEqualTo(1);
		assertThat(count("warn")).isEqualTo(2);
		assertThat(count("info")).isEqualTo(1);
		assertThat(count("debug")).isZero();
		assertThat(count("trace")).isZero();
		assertThat(this.context.getTurboFilterList()).isEmpty();
		assertThat(this.registry.get("logback.events").counter().getId().getDescription())
			.isEqualTo("Number of log events that were enabled by the effective log level");
	}

	@Test
	void keepsCountingAfterTheLoggingConfigurationIsReset() {
		new LogEventMetrics(this.context).bindTo(this.registry);

		this.context.reset();
		this.context.getLogger("io.portao.test").error("after the reset");

		assertThat(count("error")).isEqualTo(1);
	}

	@Test
	void closeDetachesTheAppender() {
		LogEventMetrics metrics = new LogEventMetrics(this.context);
		metrics.bindTo(this.registry);

		metrics.close();
		this.context.getLogger("io.portao.test").error("after close");

		assertThat(count("error")).isZero();
	}

	private double count(String level) {
		return this.registry.get("logback.events").tag("level", level).counter().count();
	}

}
