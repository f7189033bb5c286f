package io.portao.support;

import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for tests that need something of the machine (nginx, Prometheus, Chromium, a {@code ::1}): without
 * it they are skipped with {@code message}, unless the matching {@code -Dportao.require-…=true} is set, which CI
 * does, so that CI never passes by skipping.
 */
public final class RequiredTools {

	private RequiredTools() {
	}

	/** Skips the calling test with {@code message}, or fails it when {@code requireProperty} is {@code true}. */
	public static <T> T missing(String requireProperty, String message) {
		if (Boolean.getBoolean(requireProperty)) {
			throw new AssertionError(message + ", and " + requireProperty + "=true");
		}
		return Assumptions.abort(message);
	}

}
