package io.portao.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import javax.net.ssl.SSLException;

import org.springframework.boot.test.system.CapturedOutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Bounded waits for Boot's SSL bundle file watcher. */
final class Reload {

	/** The watcher's quiet period in these tests (Boot's default is 10s). */
	static final String QUIET_PERIOD = "500ms";

	/** Upper bound for a reload to show, far above the quiet period the tests configure. */
	static final Duration TIMEOUT = Duration.ofSeconds(20);

	/** What Boot's file watcher logs when the files of a reload do not load: the current bundle keeps serving. */
	static final String FAILED = "Unexpected SSL reload error";

	private Reload() {
	}

	static Path tempDir() {
		try {
			return Files.createTempDirectory("portao-reload");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A change to the files of a bundle. */
	interface Change {

		void apply() throws IOException;

	}

	/**
	 * Applies {@code change}, then waits until Boot's watcher has acted on it and logged a failed reload
	 * ({@value #FAILED}): the event after which a test may assert that the current certificate is still served.
	 */
	static void applyAndAwaitFailedReload(CapturedOutput output, Change change) throws IOException {
		int before = failedReloads(output);
		change.apply();
		await("Boot's watcher logging '" + FAILED + "'").atMost(TIMEOUT).until(() -> failedReloads(output) > before);
	}

	private static int failedReloads(CapturedOutput output) {
		return output.getAll().split(FAILED, -1).length - 1;
	}

	/** Polls new handshakes, without and with SNI, until both present {@code expected}. */
	static void awaitPresented(int port, X509Certificate expected) throws IOException, InterruptedException {
		Instant deadline = Instant.now().plus(TIMEOUT);
		X509Certificate seen = null;
		while (Instant.now().isBefore(deadline)) {
			seen = presentedOrNull(port, null);
			if (expected.equals(seen) && expected.equals(presentedOrNull(port, "localhost"))) {
				return;
			}
			Thread.sleep(200);
		}
		assertThat(seen).as("certificate presented %s after the files changed", TIMEOUT).isEqualTo(expected);
	}

	// A handshake can fail while files are half written (a certificate next to the old key): not reloaded yet.
	private static X509Certificate presentedOrNull(int port, String sniHost) throws IOException {
		try {
			return TlsTestClients.presentedCertificate(port, sniHost);
		}
		catch (SSLException ex) {
			return null;
		}
	}

}
