package io.portao.docker;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * Whether a Docker engine answers, for the tests of the image: they are skipped with a message when none does,
 * unless {@value #REQUIRE_PROPERTY} is {@code true} (CI, where {@code .ci/docker-base.sh} starts one).
 */
final class DockerEngine {

	/** Set to {@code true} (CI does) to fail instead of skipping when no Docker engine answers. */
	static final String REQUIRE_PROPERTY = "portao.require-docker";

	private static String problem;

	private static boolean checked;

	private DockerEngine() {
	}

	/**
	 * Whether an engine answers; fails when none does and {@value #REQUIRE_PROPERTY} is {@code true}. For
	 * {@code @BeforeAll}, which must not abort: a class aborted there is reported as no test at all.
	 */
	static synchronized boolean available() {
		if (!checked) {
			problem = problem();
			checked = true;
		}
		if (problem != null && Boolean.getBoolean(REQUIRE_PROPERTY)) {
			throw new AssertionError(message() + ", and " + REQUIRE_PROPERTY + "=true");
		}
		return problem == null;
	}

	/** For {@code @BeforeEach}: skips the test, with the reason, when no engine answers. */
	static void assumeAvailable() {
		Assumptions.assumeTrue(available(), () -> message() + ": skipping the tests of the Docker image");
	}

	private static String message() {
		return "no Docker engine answers (" + problem + "; start one with .ci/docker-base.sh, which installs "
				+ "Debian's docker.io and starts dockerd; .ci/run does)";
	}

	/** Why no engine can be used, or {@code null} when one answers. */
	private static String problem() {
		try {
			return DockerClientFactory.instance().isDockerAvailable() ? null : "Testcontainers found no engine";
		}
		catch (RuntimeException ex) {
			return ex.toString();
		}
	}

}
