package io.portao.staticfiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;

import io.portao.staticfiles.ContentHashes.Digests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContentHashesTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path root;

	/** Files read and hashed: each computation is one task on the hashes' scheduler. */
	private final AtomicInteger computations = new AtomicInteger();

	private final ContentHashes hashes = new ContentHashes(counting(this.computations), ContentHashes.DEFAULT_LIMIT);

	/** Runs each task at once, counting it. */
	static Scheduler counting(AtomicInteger tasks) {
		return Schedulers.fromExecutor(task -> {
			tasks.incrementAndGet();
			task.run();
		});
	}

	@Test
	void digestsAreTheFilesMd5AndSha512() throws Exception {
		byte[] content = "body { color: red; }\n".getBytes(StandardCharsets.UTF_8);
		Path file = Files.write(this.root.resolve("app.css"), content);

		Digests digests = this.hashes.of(new FileSystemResource(file)).block(WAIT);

		assertThat(digests.md5()).isEqualTo(hex("MD5", content));
		assertThat(digests.sha512()).isEqualTo(hex("SHA-512", content));
	}

	@Test
	void anUnchangedFileIsHashedOnce() throws Exception {
		Path file = write("app.css", "a { }\n", 1_600_000_000_000L);

		for (int i = 0; i < 5; i++) {
			this.hashes.of(new FileSystemResource(file)).block(WAIT);
		}

		assertThat(this.computations).hasValue(1);
	}

	@Test
	void aRewrittenFileIsHashedAgainOncePerChange() throws Exception {
		Path file = write("app.css", "a { }\n", 1_600_000_000_000L);
		String before = this.hashes.of(new FileSystemResource(file)).block(WAIT).md5();
		write("app.css", "a { color: blue; }\n", 1_700_000_000_000L);

		String after = this.hashes.of(new FileSystemResource(file)).block(WAIT).md5();
		this.hashes.of(new FileSystemResource(file)).block(WAIT);

		assertThat(before).isEqualTo(hex("MD5", "a { }\n".getBytes(StandardCharsets.UTF_8)));
		assertThat(after).isEqualTo(hex("MD5", "a { color: blue; }\n".getBytes(StandardCharsets.UTF_8)));
		assertThat(this.computations).hasValue(2);
	}

	@Test
	void aSameSizeRewriteWithANewModificationTimeIsHashedAgain() throws Exception {
		Path file = write("app.css", "aaaa", 1_600_000_000_000L);
		this.hashes.of(new FileSystemResource(file)).block(WAIT);
		write("app.css", "bbbb", 1_600_000_001_000L);

		assertThat(this.hashes.of(new FileSystemResource(file)).block(WAIT).md5())
			.isEqualTo(hex("MD5", "bbbb".getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void concurrentFirstRequestsShareOneComputation() throws Exception {
		Path file = write("app.css", "a { }\n", 1_600_000_000_000L);
		List<Runnable> queued = new CopyOnWriteArrayList<>();
		Scheduler held = Schedulers.fromExecutor(queued::add);
		ContentHashes shared = new ContentHashes(held, ContentHashes.DEFAULT_LIMIT);

		var first = shared.of(new FileSystemResource(file)).toFuture();
		var second = shared.of(new FileSystemResource(file)).toFuture();
		assertThat(queued).hasSize(1);
		assertThat(first).isNotDone();
		queued.forEach(Runnable::run);

		assertThat(first.get().md5()).isEqualTo(second.get().md5());
		assertThat(queued).as("one computation").hasSize(1);
	}

	/** A client that goes away while its file is hashed does not cancel the computation others wait for. */
	@Test
	void aCancelledFirstRequestLeavesTheComputationToTheNext() throws Exception {
		Path file = write("app.css", "a { }\n", 1_600_000_000_000L);
		List<Runnable> queued = new CopyOnWriteArrayList<>();
		ContentHashes shared = new ContentHashes(Schedulers.fromExecutor(queued::add), ContentHashes.DEFAULT_LIMIT);

		shared.of(new FileSystemResource(file)).subscribe().dispose();
		var next = shared.of(new FileSystemResource(file)).toFuture();
		queued.forEach(Runnable::run);

		assertThat(next.get().md5()).isEqualTo(hex("MD5", "a { }\n".getBytes(StandardCharsets.UTF_8)));
		assertThat(queued).as("one computation, not cancelled and started again").hasSize(1);
	}

	@Test
	void hashingRunsOnTheGivenScheduler() throws Exception {
		Path file = write("app.css", "a { }\n", 1_600_000_000_000L);
		AtomicInteger scheduled = new AtomicInteger();
		Scheduler counting = Schedulers.fromExecutor(task -> {
			scheduled.incrementAndGet();
			task.run();
		});

		new ContentHashes(counting, ContentHashes.DEFAULT_LIMIT).of(new FileSystemResource(file)).block(WAIT);

		assertThat(scheduled).hasValue(1);
	}

	@Test
	void aFileThatCouldNotBeReadIsTriedAgain() throws Exception {
		Path file = write("app.css", "a { }\n", 1_600_000_000_000L);
		FailingOnce resource = new FailingOnce(file);

		assertThatThrownBy(() -> this.hashes.of(resource).block(WAIT)).hasRootCauseInstanceOf(IOException.class);

		assertThat(this.hashes.of(resource).block(WAIT).md5()).isEqualTo(hex("MD5", "a { }\n".getBytes(StandardCharsets.UTF_8)));
		assertThat(this.computations).hasValue(2);
	}

	@Test
	void aMissingFileIsAnError() {
		Mono<Digests> missing = this.hashes.of(new FileSystemResource(this.root.resolve("nope.css")));

		assertThatThrownBy(() -> missing.block(WAIT)).hasCauseInstanceOf(NoSuchFileException.class);
		assertThat(this.computations).hasValue(0);
	}

	@Test
	void theCacheIsBounded() throws Exception {
		AtomicInteger computed = new AtomicInteger();
		ContentHashes small = new ContentHashes(counting(computed), 3);
		List<FileSystemResource> files = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			files.add(new FileSystemResource(write("f" + i + ".css", "f" + i, 1_600_000_000_000L)));
		}
		files.forEach(file -> small.of(file).block(WAIT));
		files.forEach(file -> small.of(file).block(WAIT));

		// At most 3 hashes kept at any time: the second pass finds 3 at the most, and computes the other 17 again.
		assertThat(computed.get()).isBetween(37, 40);
	}

	@ParameterizedTest
	@CsvSource({ "8c2f1, true", "8C2F1, true", "8c2f1a0b, true", "8c2f1a0b9e8d7c6b5a4f3e2d1c0b9a8f, true",
			"8c2f, false", "8c2f2, false", "8c2f1a0b9e8d7c6b5a4f3e2d1c0b9a8f0, false", "c2f1a, false" })
	void aVersionIsAPrefixOfTheMd5OfAtLeastFiveCharacters(String version, boolean names) {
		Digests digests = new Digests("8c2f1a0b9e8d7c6b5a4f3e2d1c0b9a8f", "ab".repeat(64));

		assertThat(digests.names(version, 5)).isEqualTo(names);
	}

	@Test
	void aVersionOf128CharactersIsTheWholeSha512() {
		Digests digests = new Digests("8c2f1a0b9e8d7c6b5a4f3e2d1c0b9a8f", "ab".repeat(64));

		assertThat(digests.names("AB".repeat(64), 5)).isTrue();
		assertThat(digests.names("ab".repeat(63) + "ac", 5)).isFalse();
		assertThat(digests.names("ab".repeat(32), 5)).isFalse();
	}

	private Path write(String name, String content, long modifiedMillis) throws IOException {
		Path file = Files.writeString(this.root.resolve(name), content);
		Files.setLastModifiedTime(file, FileTime.fromMillis(modifiedMillis));
		return file;
	}

	static String hex(String algorithm, byte[] content) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
	}

	/** A file whose first read fails, as one being replaced or briefly unreadable. */
	private static final class FailingOnce extends FileSystemResource {

		private final AtomicInteger reads = new AtomicInteger();

		FailingOnce(Path file) {
			super(file);
		}

		@Override
		public InputStream getInputStream() throws IOException {
			if (this.reads.getAndIncrement() == 0) {
				throw new IOException("read failed");
			}
			return super.getInputStream();
		}

	}

}
