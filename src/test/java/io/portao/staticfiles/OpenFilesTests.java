package io.portao.staticfiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The static lane's open descriptors ({@link OpenFiles}), through {@link PlainFileResponder}, on real files. */
class OpenFilesTests {

	@TempDir
	Path root;

	@Test
	void theSameVersionIsSentFromOneDescriptorWhichClosesWhenTheVersionGoes() throws IOException {
		PlainFileResponder files = responder();
		Path file = Files.writeString(this.root.resolve("app.css"), "one");

		OpenFiles.Handle first = files.open(files.find("app.css"));
		OpenFiles.Handle second = files.open(files.find("app.css"));
		assertThat(second).isSameAs(first);
		first.release();
		second.release();
		assertThat(first.channel().isOpen()).as("held for the next request").isTrue();

		// Replaced by a rename, as a deployment does: another inode, so another version and descriptor.
		Path next = Files.writeString(this.root.resolve("app.css.new"), "two");
		Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		OpenFiles.Handle third = files.open(files.find("app.css"));

		assertThat(third).isNotSameAs(first);
		assertThat(first.channel().isOpen()).as("the old version's descriptor is closed").isFalse();
		assertThat(read(third)).isEqualTo("two");
		third.release();
	}

	@Test
	void aDescriptorInUseStaysOpenUntilItsLastResponseReleasesIt() throws IOException {
		PlainFileResponder files = responder();
		Files.writeString(this.root.resolve("app.css"), "one");
		OpenFiles.Handle sending = files.open(files.find("app.css"));

		Files.delete(this.root.resolve("app.css"));
		assertThat(files.find("app.css")).isNull();

		assertThat(sending.channel().isOpen()).as("a response still sending it").isTrue();
		assertThat(read(sending)).isEqualTo("one");
		sending.release();
		assertThat(sending.channel().isOpen()).isFalse();
	}

	@Test
	void pastItsValidityAFileThatCannotBeOpenedAnyMoreIsRefused() throws Exception {
		OpenFiles openFiles = new OpenFiles(16, 0);
		Path file = Files.writeString(this.root.resolve("app.css"), "one");
		PlainFile version = responder().find("app.css");
		OpenFiles.Handle first = openFiles.acquire(version);
		first.release();

		Files.delete(file);

		assertThat(openFiles.acquire(version)).isNull();
		assertThat(first.channel().isOpen()).isFalse();
		assertThat(openFiles.held()).isZero();
	}

	@Test
	void pastItsValidityTheFileIsOpenedAgain() throws IOException {
		OpenFiles openFiles = new OpenFiles(16, 0);
		Files.writeString(this.root.resolve("app.css"), "one");
		PlainFile version = responder().find("app.css");
		OpenFiles.Handle first = openFiles.acquire(version);
		first.release();

		OpenFiles.Handle second = openFiles.acquire(version);

		assertThat(second).isNotSameAs(first);
		assertThat(first.channel().isOpen()).isFalse();
		assertThat(openFiles.held()).isEqualTo(1);
		second.release();
		version.slot().close();
		assertThat(second.channel().isOpen()).isFalse();
		assertThat(openFiles.held()).isZero();
	}

	@Test
	void aResponseThatFoundAVersionJustBeforeItWasClosedLeavesNoDescriptorBehind() throws IOException {
		// The request looked the version up, then the version left the cache (a new version, the file removed)
		// before the request opened it: its descriptor serves that response and closes with it. Held by the
		// closed version instead, it would stay open (and counted against the bound) until the garbage collector.
		OpenFiles openFiles = new OpenFiles(16, OpenFiles.DEFAULT_VALID);
		Files.writeString(this.root.resolve("app.css"), "one");
		PlainFile version = responder().find("app.css");
		version.slot().close();

		OpenFiles.Handle late = openFiles.acquire(version);
		assertThat(read(late)).isEqualTo("one");
		late.release();

		assertThat(late.channel().isOpen()).isFalse();
		assertThat(openFiles.held()).isZero();
	}

	@Test
	void pastTheBoundFilesAreOpenedAndClosedPerResponse() throws IOException {
		OpenFiles openFiles = new OpenFiles(2, OpenFiles.DEFAULT_VALID);
		PlainFileResponder files = responder();
		List<OpenFiles.Handle> handles = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Files.writeString(this.root.resolve(i + ".css"), "file " + i);
			handles.add(openFiles.acquire(files.find(i + ".css")));
		}
		assertThat(openFiles.held()).isEqualTo(2);
		handles.forEach(OpenFiles.Handle::release);

		assertThat(handles.get(0).channel().isOpen()).isTrue();
		assertThat(handles.get(1).channel().isOpen()).isTrue();
		assertThat(handles.get(2).channel().isOpen()).as("beyond the bound: closed once sent").isFalse();
	}

	@Test
	void eachThreadSendsFromADescriptorOfItsOwnAndClosingTheVersionClosesThemAll() throws Exception {
		OpenFiles openFiles = new OpenFiles(16, OpenFiles.DEFAULT_VALID);
		Files.writeString(this.root.resolve("app.css"), "one");
		PlainFile version = responder().find("app.css");
		// Two threads of their own, as two event loops: each takes the next entry of the slot.
		OpenFiles.Handle first = onThreadOfItsOwn(() -> twice(openFiles, version));
		OpenFiles.Handle second = onThreadOfItsOwn(() -> twice(openFiles, version));

		assertThat(second).isNotSameAs(first);
		assertThat(openFiles.held()).isEqualTo(2);
		version.slot().close();
		assertThat(first.channel().isOpen()).isFalse();
		assertThat(second.channel().isOpen()).isFalse();
		assertThat(openFiles.held()).isZero();
	}

	private static <T> T onThreadOfItsOwn(Callable<T> call) throws Exception {
		FutureTask<T> task = new FutureTask<>(call);
		Thread thread = new Thread(task, "open-files-test");
		thread.start();
		try {
			return task.get(10, TimeUnit.SECONDS);
		}
		finally {
			thread.join(10_000);
		}
	}

	/** Two responses on the calling thread: the second is sent from the first's descriptor. */
	private static OpenFiles.Handle twice(OpenFiles openFiles, PlainFile version) {
		OpenFiles.Handle first = openFiles.acquire(version);
		OpenFiles.Handle again = openFiles.acquire(version);
		assertThat(again).isSameAs(first);
		first.release();
		again.release();
		return first;
	}

	private PlainFileResponder responder() throws IOException {
		return new PlainFileResponder(List.of(this.root), NginxMimeTypes.load(), null, true);
	}

	private static String read(OpenFiles.Handle handle) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(64);
		handle.channel().read(buffer, 0);
		return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
	}

}
