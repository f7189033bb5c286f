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

	private DockerEngine() {
	}

	static void assumeAvailable() {
		String problem = problem();
		if (problem == null) {
			return;
		}
		String message = "no Docker engine answers (" + problem + "; start one with .ci/docker-base.sh, which installs "
				+ "Debian's docker.io and starts dockerd; .ci/run does)";
		if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
			throw new AssertionError(message + ", and " + REQUIRE_PROPERTY + "=true");
		}
		Assumptions.abort(message + ": skipping the tests of the Docker image");
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
