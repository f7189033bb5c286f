package io.portao.check;

import java.util.List;
import java.util.stream.Collectors;

import io.portao.config.InvalidConfigurationException;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;

/**
 * A start-up failure as one line: Portão's own {@code property: value (expected: ...)} when it is one, else the
 * description of the first of Boot's failure analyzers that knows the failure (the text start-up would print),
 * else the root cause, whitespace folded.
 */
final class FailureLines {

	private FailureLines() {
	}

	static String describe(Throwable failure, ConfigurableApplicationContext context) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidConfigurationException invalid) {
				return invalid.getMessage();
			}
		}
		for (FailureAnalyzer analyzer : analyzers(context)) {
			FailureAnalysis analysis = analyze(analyzer, failure);
			if (analysis != null && analysis.getDescription() != null) {
				return oneLine(analysis.getDescription());
			}
		}
		Throwable root = failure;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return oneLine(root.getClass().getSimpleName() + ": " + root.getMessage());
	}

	/** Loaded as Boot's {@code FailureAnalyzers} loads them (that class is not public). */
	private static List<FailureAnalyzer> analyzers(ConfigurableApplicationContext context) {
		ArgumentResolver arguments = (context != null)
				? ArgumentResolver.of(BeanFactory.class, context.getBeanFactory())
					.and(Environment.class, context.getEnvironment())
				: ArgumentResolver.none();
		return SpringFactoriesLoader.forDefaultResourceLocation(FailureLines.class.getClassLoader())
			.load(FailureAnalyzer.class, arguments, (type, name, ex) -> {
			});
	}

	private static FailureAnalysis analyze(FailureAnalyzer analyzer, Throwable failure) {
		try {
			return analyzer.analyze(failure);
		}
		catch (RuntimeException broken) {
			return null;
		}
	}

	static String oneLine(String text) {
		return text.lines().map(String::strip).filter(line -> !line.isEmpty()).collect(Collectors.joining(" "));
	}

}
