package io.portao.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Turns an {@link InvalidConfigurationException}, wherever it is in the cause chain (a property binding, a
 * start-up check), into a one-line description naming the property, the value and what was expected, ahead of
 * Boot's generic binding report.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationException cause) {
		return new FailureAnalysis("Invalid configuration: " + cause.getMessage(),
				"Correct " + cause.property() + " in your application.yml (or the command line) and start again.",
				cause);
	}

}
