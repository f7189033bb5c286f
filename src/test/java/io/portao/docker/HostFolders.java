package io.portao.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;

/** Folders of the host mounted into the image's container, as a user mounts configuration, static files and TLS. */
final class HostFolders {

	private HostFolders() {
	}

	/** A read-only bind mount of {@code source} at {@code target}. */
	static Bind readOnly(Path source, String target) {
		return new Bind(source.toString(), new Volume(target), AccessMode.ro);
	}

	/**
	 * Makes the folders and the files directly in them readable by every user: the container runs as UID 10001,
	 * not as the owner of the test's temporary files.
	 */
	static void readableByAll(Path... directories) throws IOException {
		for (Path directory : directories) {
			Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
			try (var files = Files.list(directory)) {
				for (Path file : files.filter(Files::isRegularFile).toList()) {
					Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
				}
			}
		}
	}

}
