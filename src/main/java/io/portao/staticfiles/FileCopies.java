package io.portao.staticfiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;

/**
 * Small files' bytes held in memory beside their open descriptors ({@link OpenFiles.Handle#copy}), so that a
 * response is its headers and body in one {@code writev} instead of a {@code writev} for the headers and a
 * {@code sendfile} for the body: one system call less, one TCP segment instead of two (so one wake-up of the
 * client, not two), and no page-cache look-up per response. Measured on the static benchmark's 16 KiB file, the same
 * jar with and without copies in alternation: 28 against 34 µs of CPU per file, 1.14 times the requests per second,
 * p99 0.84 times (docs/performance.md, twenty-third round). nginx has no such cache (its {@code open_file_cache}
 * keeps descriptors only); Varnish and Envoy's cache filter serve from memory.
 *
 * <p>What a copy may differ from the file in, and why not by much:
 * <ul>
 * <li>a copy lives no longer than the descriptor it was read from, which is opened again after
 * {@link OpenFiles#DEFAULT_VALID} (1 s), and a new version of the file (another size, modification time or inode,
 * checked on every request) gets a descriptor and a copy of its own;</li>
 * <li>a file modified within the last {@link #SETTLE_MILLIS} is not copied (it is sent from its descriptor, as any
 * file): a file system's modification times are coarse (a kernel tick, a second on some, two on FAT), so a write
 * in the same tick as the one before it would leave the version as it was. Copying only files whose last write is
 * older than that is git's answer to the same question ("racy git", Documentation/technical/racy-git.txt).</li>
 * </ul>
 * Bounded: files of at most {@link #MAX_FILE_SIZE} bytes, and {@link #MAX_BYTES} of copies per static location,
 * the event loops' together (each loop copies for itself, as it keeps its own descriptor: one shared buffer's
 * reference count retained and released from both cores costs what the seventeenth round measured for the
 * descriptors). Past the budget, files are sent from their descriptors.
 */
final class FileCopies {

	/** The largest file copied: larger bodies gain little from one system call less, and take more memory. */
	static final int MAX_FILE_SIZE = 64 * 1024;

	/** Bytes of copies held at most per static location. */
	static final long MAX_BYTES = 16L * 1024 * 1024;

	/** How long ago a file's last modification must be for it to be copied (see above). */
	static final long SETTLE_MILLIS = TimeUnit.SECONDS.toMillis(2);

	private final long maxBytes;

	private final AtomicLong held = new AtomicLong();

	FileCopies() {
		this(MAX_BYTES);
	}

	FileCopies(long maxBytes) {
		this.maxBytes = maxBytes;
	}

	/** Bytes of copies held now (for tests). */
	long held() {
		return this.held.get();
	}

	/**
	 * Whether {@code file} may be copied now: small enough, and its last modification settled. {@code false} for a
	 * file that may be copied later (not settled yet) as for one that never will: the caller asks again.
	 */
	static boolean copyable(PlainFile file, long nowMillis) {
		return fits(file) && settled(file, nowMillis);
	}

	/** Whether {@code file}'s size lets it be copied (its version's, so the answer never changes). */
	static boolean fits(PlainFile file) {
		return file.size() > 0 && file.size() <= MAX_FILE_SIZE;
	}

	/** Whether {@code file}'s last modification is at least {@link #SETTLE_MILLIS} old at {@code nowMillis}. */
	static boolean settled(PlainFile file, long nowMillis) {
		return nowMillis - file.lastModifiedMillis() >= SETTLE_MILLIS;
	}

	/**
	 * {@code size} bytes of {@code channel} read into a direct buffer, counted against the budget; {@code null} when
	 * the budget has no room or the file is shorter now (changed meanwhile: the next request sees a new version).
	 * The buffer is not from the connections' pooled allocator: a copy outlives the responses around it, and a
	 * long-lived buffer keeps the pool's whole chunk from being reused, so the budget would not bound the memory.
	 */
	@Nullable
	ByteBuf read(FileChannel channel, int size) {
		if (this.held.addAndGet(size) > this.maxBytes) {
			this.held.addAndGet(-size);
			return null;
		}
		ByteBuf copy = Unpooled.directBuffer(size, size);
		try {
			long position = 0;
			while (position < size) {
				int read = copy.writeBytes(channel, position, size - (int) position);
				if (read < 0) {
					break;
				}
				position += read;
			}
		}
		catch (IOException | RuntimeException ex) {
			// Unreadable now (an I/O error, the descriptor closed): sent from the descriptor, which reports it.
		}
		if (copy.readableBytes() != size) {
			copy.release();
			this.held.addAndGet(-size);
			return null;
		}
		return copy;
	}

	/** A copy of {@code size} bytes is let go. */
	void released(int size) {
		this.held.addAndGet(-size);
	}

}
