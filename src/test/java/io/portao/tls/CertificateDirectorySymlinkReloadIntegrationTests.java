package io.portao.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.portao.support.FakeBackend;
import io.portao.support.TestCertificates;
import io.portao.support.TestCertificates.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins a limit of Boot 4.0.7's SSL bundle watcher, so that it is noticed when Boot changes: with the configured
 * files inside a directory that is itself a symlink ({@code /etc/gw/current -> v1}, a release-style layout) and that
 * link swapped to a new directory, nothing reloads, even once the watcher has acted on changes made after the swap
 * ({@link ControlBundle}). Boot's FileWatcher watches the directory the link points to and the link as a directory
 * (the same inode), never the directory holding the link, where the swap happens. The reload only comes when the
 * old target changes, here when it is deleted. The Kubernetes layout is not affected:
 * there the configured files are links in a real directory, which is watched (see
 * {@link CertificateSymlinkReloadIntegrationTests}).
 */
@SpringBootTest(classes = io.portao.PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0",
				"spring.ssl.bundle.watch.file.quiet-period=" + Reload.QUIET_PERIOD })
class CertificateDirectorySymlinkReloadIntegrationTests {

	private static final FakeBackend backend = FakeBackend.start("A");

	private static final Path base = Reload.tempDir();

	private static final Pem initial = release("v1");

	private static final ControlBundle control = new ControlBundle(Reload.tempDir());

	@Autowired
	private SslBundles bundles;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		Files.createSymbolicLink(base.resolve("current"), Path.of("v1"));
		PemBundle.register(registry, backend, () -> base.resolve("current/cert.pem"), () -> base.resolve("current/cert.key"));
		registry.add("spring.ssl.bundle.pem.web.reload-on-update", () -> "true");
		control.register(registry);
	}

	private static Pem release(String name) {
		try {
			return TestCertificates.generate(Files.createDirectory(base.resolve(name)), "cert", "localhost");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@AfterAll
	static void stopBackend() {
		backend.close();
	}

	@Test
	void swappingTheDirectoryLinkIsNotSeenUntilTheOldDirectoryChanges() throws Exception {
		Pem next = release("v2");
		Path tmp = Files.createSymbolicLink(base.resolve("current.tmp"), Path.of("v2"));
		Files.move(tmp, base.resolve("current"), StandardCopyOption.ATOMIC_MOVE);
		control.awaitWatcherCaughtUp(this.bundles);

		assertThat(TlsTestClients.presentedCertificate(this.port, null)).isEqualTo(initial.certificate());

		Files.delete(initial.certificateFile());
		Files.delete(initial.privateKeyFile());
		Reload.awaitPresented(this.port, next.certificate());
	}

}
