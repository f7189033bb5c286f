package io.portao.check;

import java.util.List;

/**
 * Ends a check from inside the application context's refresh, with the problems found (none: the configuration
 * is fine). Thrown rather than returned so that {@code SpringApplication.run} never goes on to its started and
 * ready events and runners, which start work (discovery sync, instance registration) a check must not do.
 */
final class CheckFinished extends RuntimeException {

	private final List<String> problems;

	CheckFinished(List<String> problems) {
		super(null, null, false, false);
		this.problems = List.copyOf(problems);
	}

	List<String> problems() {
		return this.problems;
	}

}
