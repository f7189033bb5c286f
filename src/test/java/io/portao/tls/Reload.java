package io.portao.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import javax.net.ssl.SSLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Bounded waits for Boot's SSL bundle file watcher. */
final class Reload {

	/** The watcher's quiet period in these tests (Boot's default is 10s). */
	static final String QUIET_PERIOD = "500ms";

	/** Upper bound for a reload to show, far above the quiet period the tests configure. */
	static final Duration TIMEOUT = Duration.ofSeconds(20);

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

	/** Long enough for the watcher to have acted on a change (quiet period of 500ms plus slack). */
	static long settle() {
		return 3000;
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
