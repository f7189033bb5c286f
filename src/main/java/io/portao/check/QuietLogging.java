package io.portao.check;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Turns every logger off right after Boot has configured logging from the user's properties, so that a check
 * prints its own lines only, whatever {@code logging.level.*} the configuration sets for a real start.
 */
final class QuietLogging implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		LoggingSystem logging = LoggingSystem.get(event.getSpringApplication().getClassLoader());
		try {
			for (LoggerConfiguration logger : logging.getLoggerConfigurations()) {
				if (logger.getConfiguredLevel() != null) {
					logging.setLogLevel(logger.getName(), LogLevel.OFF);
				}
			}
			logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.OFF);
		}
		catch (UnsupportedOperationException noLevels) {
			// logging system "none": nothing was configured to print.
		}
	}

	@Override
	public int getOrder() {
		return LoggingApplicationListener.DEFAULT_ORDER + 1;
	}

}
