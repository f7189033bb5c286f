package io.portao.upstream;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the gateway knows of one instance of an upstream: its failures and whether it is left out of balancing.
 * Written by the attempt that used the instance, read by the balancer and by observers; never blocks.
 */
public final class InstanceState {

	private final String authority;

	private final int maxFails;

	private final long failTimeoutMillis;

	private int fails;

	private long failWindowStart;

	private volatile long ejectedUntil;

	private volatile Instant lastFailureAt;

	private volatile String lastFailureCause;

	private final LongAdder requests = new LongAdder();

	private final LongAdder failures = new LongAdder();

	private final AtomicInteger inFlight = new AtomicInteger();

	InstanceState(String authority, int maxFails, long failTimeoutMillis) {
		this.authority = authority;
		this.maxFails = maxFails;
		this.failTimeoutMillis = failTimeoutMillis;
	}

	/** {@code host:port} of the instance. */
	public String authority() {
		return this.authority;
	}

	/** Whether the instance is left out of balancing at {@code nowMillis}. */
	public boolean isEjected(long nowMillis) {
		return nowMillis < this.ejectedUntil;
	}

	/** The instance's status at {@code nowMillis}. */
	public InstanceStatus status(long nowMillis) {
		return isEjected(nowMillis) ? InstanceStatus.EJECTED : InstanceStatus.UP;
	}

	/** Until when the instance is left out (epoch millis), or 0 if it never was. */
	public long ejectedUntil() {
		return this.ejectedUntil;
	}

	public Instant lastFailureAt() {
		return this.lastFailureAt;
	}

	public String lastFailureCause() {
		return this.lastFailureCause;
	}

	/** Attempts sent to the instance so far, failed ones included. */
	public long requests() {
		return this.requests.sum();
	}

	/** Attempts that ended in a failure ({@link AttemptOutcome#isFailure()}). */
	public long failures() {
		return this.failures.sum();
	}

	/** Attempts started and not ended yet: sent, and their response not relayed to its end. */
	public int inFlight() {
		return this.inFlight.get();
	}

	void attemptStarted() {
		this.requests.increment();
		this.inFlight.incrementAndGet();
	}

	void attemptEnded(AttemptOutcome outcome) {
		this.inFlight.decrementAndGet();
		if (outcome.isFailure()) {
			this.failures.increment();
		}
	}

	/**
	 * Counts a failed attempt; after {@code max-fails} of them within {@code fail-timeout} the instance is left out
	 * for {@code fail-timeout} (nginx {@code ngx_http_upstream_free_round_robin_peer}).
	 */
	synchronized void recordFailure(long nowMillis, String cause) {
		this.lastFailureAt = Instant.ofEpochMilli(nowMillis);
		this.lastFailureCause = cause;
		if (this.maxFails == 0) {
			return;
		}
		if (nowMillis - this.failWindowStart > this.failTimeoutMillis) {
			this.fails = 0;
			this.failWindowStart = nowMillis;
		}
		this.fails++;
		if (this.fails >= this.maxFails) {
			this.ejectedUntil = nowMillis + this.failTimeoutMillis;
			this.fails = 0;
		}
	}

	/** A successful attempt clears the failure count, as nginx does once the instance answers again. */
	void recordSuccess() {
		if (this.fails != 0) {
			synchronized (this) {
				this.fails = 0;
			}
		}
	}

}
