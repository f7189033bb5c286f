package io.portao.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

import io.portao.support.TestCertificates.Pem;

/**
 * A directory laid out as the kubelet's AtomicWriter lays out a mounted Secret: {@code tls.crt -> ..data/tls.crt},
 * {@code ..data -> ..<version>}, and an update writes a new version directory, points a temporary {@code ..data_tmp}
 * link at it and renames that over {@code ..data} (one atomic rename), then deletes the old version.
 */
final class KubernetesSecretVolume {

	private static final String DATA = "..data";

	private final Path dir;

	private int version;

	private Path current;

	private KubernetesSecretVolume(Path dir) {
		this.dir = dir;
	}

	static KubernetesSecretVolume create(Path dir, Pem pem) {
		KubernetesSecretVolume volume = new KubernetesSecretVolume(dir);
		try {
			volume.current = volume.writeVersion(pem);
			Files.createSymbolicLink(dir.resolve(DATA), volume.current.getFileName());
			Files.createSymbolicLink(volume.certificate(), Path.of(DATA, "tls.crt"));
			Files.createSymbolicLink(volume.privateKey(), Path.of(DATA, "tls.key"));
			return volume;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Path certificate() {
		return this.dir.resolve("tls.crt");
	}

	Path privateKey() {
		return this.dir.resolve("tls.key");
	}

	/** Publishes {@code pem} as the kubelet does when the Secret changes. */
	void update(Pem pem) throws IOException {
		Path previous = this.current;
		this.current = writeVersion(pem);
		Path tmp = this.dir.resolve("..data_tmp");
		Files.createSymbolicLink(tmp, this.current.getFileName());
		Files.move(tmp, this.dir.resolve(DATA), StandardCopyOption.ATOMIC_MOVE);
		deleteRecursively(previous);
	}

	private Path writeVersion(Pem pem) throws IOException {
		Path versionDir = Files.createDirectory(this.dir.resolve("..2026_11_25_00_00_0" + (++this.version)));
		Files.copy(pem.certificateFile(), versionDir.resolve("tls.crt"));
		Files.copy(pem.privateKeyFile(), versionDir.resolve("tls.key"));
		return versionDir;
	}

	private static void deleteRecursively(Path path) throws IOException {
		try (Stream<Path> files = Files.walk(path)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(file);
			}
		}
	}

}
