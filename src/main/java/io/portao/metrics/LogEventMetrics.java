package io.portao.metrics;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.logging.LogbackMetrics;

/**
 * Micrometer's {@code logback.events} (one counter per level, as {@link LogbackMetrics} has them) counted by an
 * appender on the root logger instead of a turbo filter. Logback asks every turbo filter on every level check,
 * including each {@code isDebugEnabled()} that decides not to log: Reactor Netty makes several of those per
 * request, which cost 2 % of a static file's CPU in a JFR profile (docs/performance.md). An appender runs only for
 * an event that is logged. It counts the events that reach the root logger, which with Boot's logging
 * configuration (no logger without additivity) are the events the turbo filter counted: those at a level enabled
 * for their logger. Defined as a {@link LogbackMetrics} so that Boot's own binder stands back.
 */
final class LogEventMetrics extends LogbackMetrics {

	static final String APPENDER = "portao.logEventMetrics";

	private final LoggerContext context;

	LogEventMetrics(LoggerContext context) {
		super(Tags.empty(), context);
		this.context = context;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Counting appender = new Counting(registry);
		attach(appender);
		// A reset of the logging configuration removes every appender: attach it again, as Micrometer re-adds its
		// turbo filter.
		this.context.addListener(new LoggerContextListener() {

			@Override
			public boolean isResetResistant() {
				return true;
			}

			@Override
			public void onStart(LoggerContext context) {
			}

			@Override
			public void onReset(LoggerContext context) {
				attach(appender);
			}

			@Override
			public void onStop(LoggerContext context) {
			}

			@Override
			public void onLevelChange(Logger logger, Level level) {
			}

		});
	}

	private void attach(Counting appender) {
		Logger root = this.context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		if (root.getAppender(APPENDER) == null) {
			appender.setContext(this.context);
			appender.start();
			root.addAppender(appender);
		}
	}

	@Override
	public void close() {
		Logger root = this.context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		root.detachAppender(APPENDER);
	}

	private static final class Counting extends UnsynchronizedAppenderBase<ILoggingEvent> {

		private final Counter error;

		private final Counter warn;

		private final Counter info;

		private final Counter debug;

		private final Counter trace;

		Counting(MeterRegistry registry) {
			setName(APPENDER);
			this.error = counter(registry, "error");
			this.warn = counter(registry, "warn");
			this.info = counter(registry, "info");
			this.debug = counter(registry, "debug");
			this.trace = counter(registry, "trace");
		}

		private static Counter counter(MeterRegistry registry, String level) {
			// Micrometer's name, tag and description (MetricsTurboFilter), so dashboards and alerts read the same.
			return Counter.builder("logback.events")
				.tag("level", level)
				.description("Number of log events that were enabled by the effective log level")
				.baseUnit("events")
				.register(registry);
		}

		@Override
		protected void append(ILoggingEvent event) {
			switch (event.getLevel().toInt()) {
				case Level.ERROR_INT -> this.error.increment();
				case Level.WARN_INT -> this.warn.increment();
				case Level.INFO_INT -> this.info.increment();
				case Level.DEBUG_INT -> this.debug.increment();
				case Level.TRACE_INT -> this.trace.increment();
				default -> {
				}
			}
		}

	}

}
