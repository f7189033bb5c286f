package io.portao.upstream;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One instance's active health checks, as {@code upstream.health} probes it: the one probe in flight, the last
 * result, and the passes or failures in a row that take the instance DOWN ({@code unhealthy-threshold}) and bring it
 * back ({@code healthy-threshold}), as NGINX Plus's {@code health_check fails=… passes=…}.
 */
public final class InstanceProbes {

	private final AtomicBoolean inFlight = new AtomicBoolean();

	private volatile boolean down;

	/** Passes and failures in a row; written only by the one probe in flight. */
	private int passed;

	private int failed;

	private volatile Probe last;

	/**
	 * One health check's result.
	 *
	 * @param at when it ended
	 * @param passed whether the instance answered as expected
	 * @param cause why it failed ({@code http 503}, {@code connect refused}, …), {@code null} when it passed
	 */
	public record Probe(Instant at, boolean passed, String cause) {
	}

	/** Claims the one probe in flight this instance may have; false if one is already running. */
	public boolean start() {
		return this.inFlight.compareAndSet(false, true);
	}

	/** A probe was cancelled (the checks stopped): the next one may start. */
	public void cancelled() {
		this.inFlight.set(false);
	}

	/** Whether a probe of this instance is in flight. */
	public boolean inFlight() {
		return this.inFlight.get();
	}

	/** The last result, or {@code null} before the first (or with health checks off). */
	public Probe last() {
		return this.last;
	}

	/** Whether failed probes took the instance DOWN. */
	boolean isDown() {
		return this.down;
	}

	/**
	 * Records the result of the probe in flight, which ends it; true when it brought a DOWN instance back up.
	 */
	boolean ended(boolean passed, long nowMillis, String cause, HealthCheckProperties check) {
		this.last = new Probe(Instant.ofEpochMilli(nowMillis), passed, passed ? null : cause);
		try {
			if (passed) {
				this.failed = 0;
				this.passed++;
				if (this.down && this.passed >= check.healthyThreshold()) {
					this.down = false;
					return true;
				}
				return false;
			}
			this.passed = 0;
			this.failed++;
			if (this.failed >= check.unhealthyThreshold()) {
				this.down = true;
			}
			return false;
		}
		finally {
			this.inFlight.set(false);
		}
	}

}
