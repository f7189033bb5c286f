package io.portao.accesslog;

import java.util.Arrays;

import org.springframework.web.server.ServerWebExchange;

import io.portao.upstream.AttemptLog;

/**
 * What the access log line of one request needs beyond the request and response: the bytes of body sent, the
 * exchange (for the client address), and each upstream attempt in order (nginx lists them all on a retry).
 * Written by one request at a time (attempts are sequential), read once at its end.
 */
final class AccessLogEntry implements AttemptLog {

	static final String ATTRIBUTE = AccessLogEntry.class.getName();

	final long startNanos;

	long bodyBytes;

	AccessLogEntry() {
		this(System.nanoTime());
	}

	/** @param startNanos {@link System#nanoTime()} when the request began */
	AccessLogEntry(long startNanos) {
		this.startNanos = startNanos;
	}

	ServerWebExchange exchange;

	int attempts;

	/** Allocated on the first attempt only: static files have none. */
	String[] addresses;

	int[] statuses;

	long[] startedNanos;

	long[] nanos;

	/** Whether the last attempt got response headers, so that its time runs to the end of the body. */
	boolean lastResponded;

	@Override
	public int attemptStarted(String address) {
		if (this.addresses == null) {
			this.addresses = new String[2];
			this.statuses = new int[2];
			this.startedNanos = new long[2];
			this.nanos = new long[2];
		}
		else if (this.attempts == this.addresses.length) {
			grow();
		}
		int index = this.attempts++;
		this.addresses[index] = address;
		this.startedNanos[index] = System.nanoTime();
		this.nanos[index] = -1;
		this.lastResponded = false;
		return index;
	}

	/** Response headers arrived with {@code status}; the body may still be on its way. */
	@Override
	public void attemptResponded(int index, int status) {
		this.statuses[index] = status;
		this.nanos[index] = System.nanoTime() - this.startedNanos[index];
		this.lastResponded = true;
	}

	/** The attempt failed; {@code status} is what nginx writes for it (502 error, 504 timeout). */
	@Override
	public void attemptFailed(int index, int status) {
		this.statuses[index] = status;
		this.nanos[index] = System.nanoTime() - this.startedNanos[index];
	}

	@Override
	public void bodySent(int bytes) {
		this.bodyBytes += bytes;
	}

	/** The response was relayed to its end (or cut): the last attempt's time now covers its body too. */
	void ended(long nowNanos) {
		if (this.attempts > 0 && this.lastResponded) {
			int last = this.attempts - 1;
			this.nanos[last] = nowNanos - this.startedNanos[last];
		}
	}

	private void grow() {
		int size = this.addresses.length * 2;
		this.addresses = Arrays.copyOf(this.addresses, size);
		this.statuses = Arrays.copyOf(this.statuses, size);
		this.startedNanos = Arrays.copyOf(this.startedNanos, size);
		this.nanos = Arrays.copyOf(this.nanos, size);
	}

}
