package io.portao.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.test.context.DynamicPropertyRegistry;

import io.portao.support.TestCertificates;
import io.portao.support.TestCertificates.Pem;

import static org.awaitility.Awaitility.await;

/**
 * A second PEM bundle, {@code control}, that no server uses, watched by the same Boot file watcher as {@code web}:
 * the positive control of a test asserting that a change to {@code web}'s files was not acted on. Boot's watcher is
 * one thread that collects changes until a quiet period passes without any, then runs the reloads of all of them.
 * Once two changes of the control, made one after the other, have each been reloaded, every change made before
 * the first has been acted on: it was in the first change's batch or an earlier one, and the second change's batch
 * only runs after the first's has ended.
 */
final class ControlBundle {

	static final String NAME = "control";

	private final Pem pem;

	private final AtomicInteger reloads = new AtomicInteger();

	private boolean counting;

	ControlBundle(Path dir) {
		this.pem = TestCertificates.generate(dir, NAME, "control");
	}

	void register(DynamicPropertyRegistry registry) {
		String prefix = "spring.ssl.bundle.pem." + NAME;
		registry.add(prefix + ".reload-on-update", () -> "true");
		registry.add(prefix + ".keystore.certificate", () -> "file:" + this.pem.certificateFile());
		registry.add(prefix + ".keystore.private-key", () -> "file:" + this.pem.privateKeyFile());
	}

	/** Waits until Boot's watcher has acted on every change made to watched files before this call. */
	void awaitWatcherCaughtUp(SslBundles bundles) throws IOException {
		if (!this.counting) {
			bundles.addBundleUpdateHandler(NAME, bundle -> this.reloads.incrementAndGet());
			this.counting = true;
		}
		for (int change = 0; change < 2; change++) {
			int before = this.reloads.get();
			Files.write(this.pem.certificateFile(), Files.readAllBytes(this.pem.certificateFile()));
			await("a reload of the control bundle").atMost(Reload.TIMEOUT).until(() -> this.reloads.get() > before);
		}
	}

}
