package io.portao.staticfiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.concurrent.FastThreadLocal;
import org.jspecify.annotations.Nullable;

/**
 * nginx's {@code open_file_cache} for the static lane: a file's descriptor stays open between requests for the same
 * version of the file, so a request costs its {@code lstat} and the transfer, not also an {@code open} and a
 * {@code close} (with the JDK's {@code Cleaner} registered and run for every {@code FileChannel}: 5.7 % of the
 * lane's CPU in a JFR profile, docs/performance.md). Every request still {@code lstat}s the path
 * ({@link PlainFileResponder#find}), and a version is its size, modification time and file key (device and inode),
 * so a file replaced (a new inode), changed or removed is never answered from the old descriptor; a file changed in
 * place is read through the descriptor as it is now (a small file's copy in memory, {@link FileCopies}, as it was
 * at most {@link #DEFAULT_VALID} ago). Unlike nginx, whose cached descriptors stay valid for
 * {@code open_file_cache_valid} (60 s by default), a descriptor is opened again after {@link #DEFAULT_VALID} so that
 * a permission taken away applies within a second.
 *
 * <p>Each event loop keeps a descriptor of its own per version ({@link Slot}), as each nginx worker keeps its own
 * cache. At most {@link #DEFAULT_MAX_OPEN} descriptors are held per static location, the loops' together; past
 * that, files are opened and closed per request as without the cache. A descriptor is closed when its version leaves
 * {@link PlainFileResponder}'s cache (a new version, a removed file, the cache starting over) and the last response
 * sending it has released it (a response that found the version just before it was closed sends from a descriptor
 * of its own); a location dropped by a reload leaves its descriptors to the garbage collector's
 * {@code Cleaner}, as any unreachable {@code FileChannel}.
 */
final class OpenFiles {

	/** Descriptors held open at most, per location (nginx's {@code open_file_cache max}). */
	static final int DEFAULT_MAX_OPEN = 256;

	/** How long a descriptor is used before the file is opened again (nginx's {@code open_file_cache_valid}). */
	static final long DEFAULT_VALID = TimeUnit.SECONDS.toNanos(1);

	private final int maxOpen;

	private final long validNanos;

	private final AtomicInteger held = new AtomicInteger();

	private final FileCopies copies;

	OpenFiles() {
		this(DEFAULT_MAX_OPEN, DEFAULT_VALID, new FileCopies());
	}

	OpenFiles(int maxOpen, long validNanos) {
		this(maxOpen, validNanos, new FileCopies());
	}

	OpenFiles(int maxOpen, long validNanos, FileCopies copies) {
		this.maxOpen = maxOpen;
		this.validNanos = validNanos;
		this.copies = copies;
	}

	/** Descriptors held now (for tests). */
	int held() {
		return this.held.get();
	}

	/**
	 * The file's contents, retained for one response (its sender {@link Handle#release releases} it), or
	 * {@code null} when the file cannot be opened (not readable, gone meanwhile): opening is the readability check,
	 * as in nginx.
	 */
	@Nullable
	Handle acquire(PlainFile file) {
		Slot slot = file.slot();
		int entry = Slot.entry();
		Handle cached = slot.current.get(entry);
		long now = System.nanoTime();
		if (cached != null && now - cached.openedAt < this.validNanos && cached.tryRetain()) {
			return cached;
		}
		FileChannel channel = FileBody.open(file.path());
		if (channel == null) {
			slot.drop(entry, cached);
			return null;
		}
		if (this.held.incrementAndGet() > this.maxOpen) {
			this.held.decrementAndGet();
			return new Handle(channel, now, null, null);
		}
		Handle fresh = new Handle(channel, now, this.held, this.copies);
		fresh.retain();
		if (!slot.current.compareAndSet(entry, cached, fresh)) {
			// The version was closed meanwhile (or another thread of the same entry opened it): this one serves
			// this response only.
			fresh.release();
			return fresh;
		}
		if (cached != null) {
			cached.release();
		}
		if (slot.closed) {
			// Closed between the look-up and the install: close() may have passed this entry already, so the
			// descriptor is not left to the slot (read after the install, so one of the two drops it).
			slot.drop(entry, fresh);
		}
		return fresh;
	}

	/**
	 * Where a {@link PlainFile} version keeps its open descriptors: one per event loop, as each nginx worker has
	 * its own {@code open_file_cache}. With one descriptor shared by the loops, every response retained and
	 * released the same reference count from both cores: 5 % of a static file's samples in a JFR profile
	 * (docs/performance.md, seventeenth round). Threads past {@link #ENTRIES} share entries, which is only slower.
	 */
	static final class Slot {

		static final int ENTRIES = 8;

		private static final AtomicInteger threads = new AtomicInteger();

		private static final FastThreadLocal<Integer> ENTRY = new FastThreadLocal<>() {

			@Override
			protected Integer initialValue() {
				return threads.getAndIncrement() & (ENTRIES - 1);
			}

		};

		private final AtomicReferenceArray<@Nullable Handle> current = new AtomicReferenceArray<>(ENTRIES);

		/** Set before {@link #close} drops the entries; an install that sees it drops its own handle. */
		private volatile boolean closed;

		/** The current thread's entry. */
		static int entry() {
			return ENTRY.get();
		}

		/** Lets the descriptors go: each closes once the responses sending it have released it. */
		void close() {
			this.closed = true;
			for (int i = 0; i < ENTRIES; i++) {
				drop(i, this.current.get(i));
			}
		}

		private void drop(int entry, @Nullable Handle handle) {
			if (handle != null && this.current.compareAndSet(entry, handle, null)) {
				handle.release();
			}
		}

	}

	/**
	 * An open file, reference-counted: one reference per response sending it, and one for the cache while it holds
	 * it; closed at the last release.
	 */
	static final class Handle extends AbstractReferenceCounted {

		/** {@link #copy}'s answer for a descriptor whose file is not copied (too large, no room left). */
		private static final ByteBuf NOT_COPIED = Unpooled.EMPTY_BUFFER;

		private static final AtomicReferenceFieldUpdater<Handle, ByteBuf> COPY = AtomicReferenceFieldUpdater
			.newUpdater(Handle.class, ByteBuf.class, "copy");

		private final FileChannel channel;

		private final long openedAt;

		@Nullable
		private final AtomicInteger held;

		/** Where copies are counted; {@code null} for a descriptor the cache does not hold (never copied). */
		@Nullable
		private final FileCopies copies;

		/** The file's bytes read through this descriptor, {@link #NOT_COPIED}, or {@code null}: not tried yet. */
		@Nullable
		private volatile ByteBuf copy;

		private Handle(FileChannel channel, long openedAt, @Nullable AtomicInteger held,
				@Nullable FileCopies copies) {
			this.channel = channel;
			this.openedAt = openedAt;
			this.held = held;
			this.copies = copies;
		}

		FileChannel channel() {
			return this.channel;
		}

		/**
		 * The body of {@code file} (this descriptor's version) as a buffer of its own for one response, read into
		 * memory once per descriptor ({@link FileCopies}); {@code null} when the file is sent from the descriptor
		 * instead (too large, modified too recently, no room). The caller holds a reference to this handle.
		 */
		@Nullable
		ByteBuf copy(PlainFile file) {
			ByteBuf current = this.copy;
			if (current == null) {
				current = copied(file);
			}
			return (current != null && current != NOT_COPIED) ? current.retainedDuplicate() : null;
		}

		@Nullable
		private ByteBuf copied(PlainFile file) {
			if (this.copies == null || !FileCopies.fits(file)) {
				// Never for this descriptor: the size is its version's. Said once, so later requests do not ask.
				COPY.compareAndSet(this, null, NOT_COPIED);
				return NOT_COPIED;
			}
			if (!FileCopies.settled(file, System.currentTimeMillis())) {
				// A later request (with this descriptor or the next) asks again.
				return NOT_COPIED;
			}
			ByteBuf read = this.copies.read(this.channel, (int) file.size());
			ByteBuf fresh = (read != null) ? read : NOT_COPIED;
			if (!COPY.compareAndSet(this, null, fresh)) {
				// Another thread sharing this descriptor copied it first.
				drop(fresh);
				return this.copy;
			}
			return fresh;
		}

		private void drop(@Nullable ByteBuf copy) {
			if (copy != null && copy != NOT_COPIED && this.copies != null) {
				this.copies.released(copy.capacity());
				copy.release();
			}
		}

		private boolean tryRetain() {
			try {
				retain();
				return true;
			}
			catch (IllegalReferenceCountException ex) {
				// Closed meanwhile (a new version or an expiry on the other event loop): open it again.
				return false;
			}
		}

		@Override
		protected void deallocate() {
			if (this.held != null) {
				this.held.decrementAndGet();
			}
			// Responses still sending the copy hold references of their own (retained duplicates).
			drop(COPY.getAndSet(this, NOT_COPIED));
			try {
				this.channel.close();
			}
			catch (IOException ex) {
				// Nothing to do: a read-only descriptor, released anyway.
			}
		}

		@Override
		public Handle touch(Object hint) {
			return this;
		}

	}

}
