package io.portao.staticfiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Small files' bytes in memory beside their descriptors ({@link FileCopies}, {@link OpenFiles.Handle#copy}). */
class FileCopiesTests {

	@TempDir
	Path root;

	private final FileCopies copies = new FileCopies();

	@Test
	void aSettledSmallFileIsReadOnceAndEachResponseGetsABufferOfItsOwn() throws IOException {
		PlainFile version = settled("app.css", "body { color: red; }\n");
		OpenFiles.Handle handle = acquire(16, version);

		ByteBuf first = handle.copy(version);
		ByteBuf second = handle.copy(version);

		assertThat(first.toString(StandardCharsets.UTF_8)).isEqualTo("body { color: red; }\n");
		assertThat(second.toString(StandardCharsets.UTF_8)).isEqualTo("body { color: red; }\n");
		assertThat(this.copies.held()).as("one copy, counted once").isEqualTo(version.size());
		first.skipBytes(first.readableBytes());
		assertThat(second.readableBytes()).as("indexes of its own").isEqualTo((int) version.size());
		first.release();
		second.release();
		handle.release();
	}

	@Test
	void theCopyGoesWithItsDescriptorOnceTheLastResponseHasReleasedIt() throws IOException {
		PlainFile version = settled("app.js", "one();");
		OpenFiles.Handle handle = acquire(16, version);
		ByteBuf sending = handle.copy(version);
		handle.release();

		version.slot().close();

		assertThat(handle.refCnt()).as("the descriptor is closed").isZero();
		assertThat(this.copies.held()).isZero();
		assertThat(sending.toString(StandardCharsets.UTF_8)).as("a response still sending it").isEqualTo("one();");
		assertThat(sending.release()).as("its last reference").isTrue();
	}

	/** A file's modification time is coarse: a write in the same tick as the last one leaves its version as it was. */
	@Test
	void aFileModifiedLessThanTwoSecondsAgoIsSentFromItsDescriptor() throws IOException {
		Files.writeString(this.root.resolve("fresh.js"), "fresh();");
		PlainFile version = responder().find("fresh.js");

		OpenFiles.Handle handle = acquire(16, version);

		assertThat(handle.copy(version)).isNull();
		assertThat(this.copies.held()).isZero();
		handle.release();
		assertThat(FileCopies.copyable(version, version.lastModifiedMillis() + FileCopies.SETTLE_MILLIS))
			.as("the same version, asked again two seconds later")
			.isTrue();
	}

	@Test
	void largerFilesAndFilesPastTheBudgetAreSentFromTheirDescriptors() throws IOException {
		FileCopies copies = new FileCopies(100);
		OpenFiles openFiles = openFiles(16, copies);
		PlainFile large = settled("large.bin", "x".repeat(FileCopies.MAX_FILE_SIZE + 1));
		PlainFile sixty = settled("a.txt", "a".repeat(60));
		PlainFile fifty = settled("b.txt", "b".repeat(50));

		OpenFiles.Handle largeHandle = openFiles.acquire(large);
		OpenFiles.Handle sixtyHandle = openFiles.acquire(sixty);
		OpenFiles.Handle fiftyHandle = openFiles.acquire(fifty);

		assertThat(largeHandle.copy(large)).as("over the size limit").isNull();
		ByteBuf copied = sixtyHandle.copy(sixty);
		assertThat(copied).isNotNull();
		assertThat(fiftyHandle.copy(fifty)).as("60 + 50 bytes are past a budget of 100").isNull();
		assertThat(copies.held()).isEqualTo(60);
		copied.release();
		for (OpenFiles.Handle handle : List.of(largeHandle, sixtyHandle, fiftyHandle)) {
			handle.release();
		}
	}

	/** A descriptor the cache does not hold (past its limit of open files) is not copied: nothing would let it go. */
	@Test
	void aDescriptorOutsideTheCacheIsNotCopied() throws IOException {
		PlainFile version = settled("app.css", "body {}");

		OpenFiles.Handle handle = acquire(0, version);

		assertThat(handle.copy(version)).isNull();
		assertThat(this.copies.held()).isZero();
		handle.release();
	}

	/** The version's descriptor from a cache of at most {@code maxOpen} descriptors, copying into {@link #copies}. */
	private OpenFiles.Handle acquire(int maxOpen, PlainFile version) {
		return openFiles(maxOpen, this.copies).acquire(version);
	}

	private static OpenFiles openFiles(int maxOpen, FileCopies copies) {
		return new OpenFiles(maxOpen, OpenFiles.DEFAULT_VALID, copies);
	}

	private PlainFile settled(String name, String content) throws IOException {
		Path file = Files.writeString(this.root.resolve(name), content);
		Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
		return responder().find(name);
	}

	private PlainFileResponder responder() throws IOException {
		return new PlainFileResponder(List.of(this.root), NginxMimeTypes.load(), null, true);
	}

}
