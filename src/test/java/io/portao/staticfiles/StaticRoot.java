package io.portao.staticfiles;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A static root on disk for tests, laid out like nginx's {@code root /var/www/static} for
 * {@code location /static/}: {@code <dir>/static/} is the location, and {@code <dir>/secret.txt} sits beside it,
 * outside, where no request may reach.
 */
final class StaticRoot implements AutoCloseable {

	static final String SECRET = "TOP-SECRET-outside-the-root";

	static final int BIG_SIZE = 20 * 1024 * 1024;

	final Path dir;

	final Path root;

	final Path secret;

	private StaticRoot(Path dir) {
		this.dir = dir;
		this.root = dir.resolve("static");
		this.secret = dir.resolve("secret.txt");
	}

	static StaticRoot create() {
		try {
			StaticRoot staticRoot = new StaticRoot(Files.createTempDirectory("portao-static"));
			staticRoot.populate();
			return staticRoot;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void populate() throws IOException {
		Files.createDirectories(this.root.resolve("css"));
		Files.writeString(this.secret, SECRET);
		write("css/app.css", "body { color: red; }\n");
		for (String name : new String[] { "app.js", "index.html", "logo.png", "logo.svg", "font.woff2", "data.json",
				"notes.txt", "blob.xyz", "report.csv", "README", "UPPER.CSS" }) {
			write(name, "content of " + name + "\n");
		}
		write(".env", "DB_PASSWORD=" + SECRET);
		Files.createDirectories(this.root.resolve(".git"));
		write(".git/config", SECRET);
		Files.createSymbolicLink(this.root.resolve("escape.txt"), this.secret);
		Files.createSymbolicLink(this.root.resolve("escape-dir"), this.dir);
		Files.createSymbolicLink(this.root.resolve("alias.css"), this.root.resolve("css/app.css"));
		writeBig(this.root.resolve("big.bin"));
		settle();
	}

	/**
	 * Every file's modification time an hour back, as a deployed site's are: the lane sends small files settled for
	 * two seconds from memory ({@link FileCopies}), so the suites see that path; a test's own fresh files, and
	 * {@code big.bin} (past the copies' size limit), are sent from their descriptors.
	 */
	private void settle() throws IOException {
		FileTime hourAgo = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
		try (Stream<Path> all = Files.walk(this.root)) {
			for (Path each : (Iterable<Path>) all::iterator) {
				if (Files.isRegularFile(each, LinkOption.NOFOLLOW_LINKS)) {
					Files.setLastModifiedTime(each, hourAgo);
				}
			}
		}
	}

	private void write(String name, String content) throws IOException {
		Files.writeString(this.root.resolve(name), content, StandardCharsets.UTF_8);
	}

	private static void writeBig(Path file) throws IOException {
		Random random = new Random(42);
		byte[] chunk = new byte[64 * 1024];
		try (OutputStream out = Files.newOutputStream(file)) {
			for (int written = 0; written < BIG_SIZE; written += chunk.length) {
				random.nextBytes(chunk);
				out.write(chunk);
			}
		}
	}

	/** The location value for {@code spring.web.resources.static-locations}. */
	String location() {
		return this.root.toUri().toString();
	}

	static String sha256(Path file) throws IOException {
		return sha256(Files.readAllBytes(file));
	}

	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() throws IOException {
		try (Stream<Path> paths = Files.walk(this.dir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

}
