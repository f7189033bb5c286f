package io.portao.upstream;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One instance's passive health: failed attempts counted within {@code fail-timeout} (nginx's {@code max_fails} and
 * {@code fail_timeout}), the ejection they cause, doubled at each consecutive one up to {@code max-ejection-time}
 * (Envoy's outlier detection), and the one trial request per {@code fail-timeout} an instance back from an
 * ejection takes until one succeeds (nginx's {@code peer->checked}). The limits come from the instance's state
 * ({@link InstanceState}: its metadata or its upstream's properties) at each call.
 */
final class InstanceEjection {

	private int fails;

	private long failWindowStart;

	/** Consecutive ejections: each lasts twice as long as the one before; cleared by a success after the last. */
	private int ejections;

	private long lastEjectionMillis;

	private volatile long ejectedUntil;

	/** When the last trial request went to the instance since its last ejection ended, epoch millis. */
	private final AtomicLong lastTrialAt = new AtomicLong();

	boolean isEjected(long nowMillis) {
		return nowMillis < this.ejectedUntil;
	}

	long ejectedUntil() {
		return this.ejectedUntil;
	}

	/** Back from an ejection without an answer since: its ejection ended, and no attempt has succeeded yet. */
	boolean isRecovering(long nowMillis) {
		return this.ejections > 0 && !isEjected(nowMillis);
	}

	/** Whether a request may go to the instance: always, unless it is recovering and its trial is not due. */
	boolean trialDue(long nowMillis, long failTimeoutMillis) {
		return !isRecovering(nowMillis) || nowMillis - this.lastTrialAt.get() >= failTimeoutMillis;
	}

	/** Claims the trial of a recovering instance; false when another request claimed it first. */
	boolean claimTrial(long nowMillis, long failTimeoutMillis) {
		if (!isRecovering(nowMillis)) {
			return true;
		}
		long last = this.lastTrialAt.get();
		return nowMillis - last >= failTimeoutMillis && this.lastTrialAt.compareAndSet(last, nowMillis);
	}

	/**
	 * Counts a failed attempt (nginx {@code ngx_http_upstream_free_round_robin_peer}); true when it makes
	 * {@code maxFails} within {@code failTimeoutMillis}, i.e. the instance should be ejected.
	 */
	synchronized boolean countFailure(long nowMillis, int maxFails, long failTimeoutMillis) {
		if (maxFails == 0 || isEjected(nowMillis)) {
			return false;
		}
		if (nowMillis - this.failWindowStart > failTimeoutMillis) {
			this.fails = 0;
			this.failWindowStart = nowMillis;
		}
		this.fails++;
		return this.fails >= maxFails;
	}

	/**
	 * Ejects the instance: for {@code fail-timeout} the first time, twice as long at each consecutive ejection, up
	 * to {@code max-ejection-time}. An ejection is consecutive unless the instance stayed in at least as long as it
	 * was last out (Envoy lowers its multiplier in the same spirit). Returns when it ends.
	 */
	synchronized long eject(long nowMillis, long failTimeoutMillis, long maxEjectionMillis) {
		if (nowMillis - this.ejectedUntil >= this.lastEjectionMillis) {
			this.ejections = 0;
		}
		long cap = Math.max(failTimeoutMillis, maxEjectionMillis);
		int doublings = Math.min(this.ejections, 30);
		this.ejections++;
		this.lastEjectionMillis = Math.min(failTimeoutMillis << doublings, cap);
		this.ejectedUntil = nowMillis + this.lastEjectionMillis;
		this.fails = 0;
		return this.ejectedUntil;
	}

	/**
	 * A successful attempt clears the failure count, and the ejection count once the instance is back; true when
	 * it ended a recovery (the instance takes its full share again, its slow start begins).
	 */
	boolean recordSuccess(long nowMillis) {
		if (this.fails == 0 && (this.ejections == 0 || isEjected(nowMillis))) {
			return false;
		}
		synchronized (this) {
			this.fails = 0;
			if (!isEjected(nowMillis) && this.ejections > 0) {
				this.ejections = 0;
				return true;
			}
			return false;
		}
	}

}
