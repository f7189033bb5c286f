package io.portao.accesslog;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Writes access log lines on its own thread, in batches: nginx's {@code access_log ... buffer=64k flush=1s}.
 *
 * <p>Why not a Logback appender (what the access log used first): per line, Logback built a logging event (thread
 * name, MDC copy, timestamp), ran the turbo filters Micrometer's {@code LogbackMetrics} installs, took the
 * {@code AsyncAppender}'s queue lock, ran the pattern layout and encoder, and made one {@code write} system call.
 * Measured on the 2-core machine that was most of the observability cost ({@code bench/observability-cost.sh},
 * docs/observability.md). Here an event loop only appends the already formatted line to a lock-free queue; the
 * writer copies lines, already bytes ({@link AsciiLine}), into one buffer and makes one system call per buffer.
 *
 * <p>Never blocks an event loop: the queue is bounded by a count, and a line that does not fit is dropped and
 * counted ({@link #dropped()}), as Logback's {@code neverBlock} did. The writer thread flushes when its buffer is
 * full, when the oldest buffered line is {@code flush} old, and whenever the queue has been empty for a moment, so
 * that at low traffic lines appear at once; when idle it sleeps until a producer wakes it.
 */
final class AccessLogWriter implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(AccessLogWriter.class);

	/** How long the writer polls an empty queue before flushing and sleeping until woken (no wake-up under load). */
	private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private final Queue<AsciiLine> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger queued = new AtomicInteger();

	private final AtomicLong dropped = new AtomicLong();

	private final int capacity;

	private final OutputStream out;

	private final boolean closeOutput;

	private final byte[] buffer;

	private final long flushNanos;

	private final Thread thread;

	private int length;

	private long oldestBufferedNanos;

	private volatile boolean sleeping;

	private volatile boolean closed;

	private boolean failing;

	AccessLogWriter(OutputStream out, boolean closeOutput, int bufferSize, long flushNanos, int capacity) {
		this.out = out;
		this.closeOutput = closeOutput;
		this.buffer = new byte[bufferSize];
		this.flushNanos = flushNanos;
		this.capacity = capacity;
		this.thread = new Thread(this::run, "portao-access-log");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/** Queues one line (without its newline); never blocks. Returns {@code false} when the line was dropped. */
	boolean write(AsciiLine line) {
		if (this.closed || this.queued.incrementAndGet() > this.capacity) {
			this.queued.decrementAndGet();
			this.dropped.incrementAndGet();
			return false;
		}
		this.queue.offer(line);
		if (this.sleeping) {
			LockSupport.unpark(this.thread);
		}
		return true;
	}

	/** Lines dropped because the queue was full (the output could not keep up) or the writer was closed. */
	long dropped() {
		return this.dropped.get();
	}

	/** Writes every queued line, flushes, and stops the writer thread; waits for it at most 5 seconds. */
	@Override
	public void close() {
		this.closed = true;
		LockSupport.unpark(this.thread);
		try {
			this.thread.join(TimeUnit.SECONDS.toMillis(5));
			if (this.closeOutput) {
				this.out.close();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException ex) {
			failed(ex);
		}
	}

	private void run() {
		long idleSince = System.nanoTime();
		while (true) {
			AsciiLine line = this.queue.poll();
			if (line != null) {
				this.queued.decrementAndGet();
				append(line);
				idleSince = 0;
				continue;
			}
			long now = System.nanoTime();
			if (this.length > 0 && now - this.oldestBufferedNanos >= this.flushNanos) {
				flush();
			}
			if (this.closed) {
				flush();
				return;
			}
			if (idleSince == 0) {
				idleSince = now;
			}
			if (now - idleSince < LINGER_NANOS) {
				LockSupport.parkNanos(POLL_NANOS);
				continue;
			}
			flush();
			sleep();
			idleSince = 0;
		}
	}

	/** Parks until a producer queues a line; the flag is set before the re-check so that no wake-up is lost. */
	private void sleep() {
		this.sleeping = true;
		try {
			if (this.queue.isEmpty() && !this.closed) {
				LockSupport.park(this);
			}
		}
		finally {
			this.sleeping = false;
		}
	}

	private void append(AsciiLine line) {
		int size = line.length() + 1;
		if (this.length + size > this.buffer.length) {
			flush();
		}
		if (size > this.buffer.length) {
			writeDirectly(line);
			return;
		}
		if (this.length == 0) {
			this.oldestBufferedNanos = System.nanoTime();
		}
		line.copyTo(this.buffer, this.length);
		this.length += line.length();
		this.buffer[this.length++] = '\n';
	}

	private void writeDirectly(AsciiLine line) {
		try {
			byte[] bytes = new byte[line.length() + 1];
			line.copyTo(bytes, 0);
			bytes[line.length()] = '\n';
			this.out.write(bytes);
			this.out.flush();
			this.failing = false;
		}
		catch (IOException ex) {
			failed(ex);
		}
	}

	private void flush() {
		if (this.length == 0) {
			return;
		}
		try {
			this.out.write(this.buffer, 0, this.length);
			this.out.flush();
			this.failing = false;
		}
		catch (IOException ex) {
			failed(ex);
		}
		this.length = 0;
	}

	/** A full disk or a closed stdout must not stop the gateway: the lines are lost, said once until it recovers. */
	private void failed(IOException ex) {
		if (!this.failing) {
			logger.warn("Could not write the access log, lines are lost until it works again: " + ex.getMessage());
		}
		this.failing = true;
	}

}
