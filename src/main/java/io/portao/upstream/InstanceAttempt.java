package io.portao.upstream;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One attempt in flight: started when the balancer's choice is about to be called, ended exactly once, either
 * when it fails before the response headers or when the exchange that relays its response ends.
 */
public final class InstanceAttempt {

	private final UpstreamRegistry registry;

	private final String upstream;

	private final InstanceState instance;

	private final long startNanos;

	/** A field updater, not an {@code AtomicBoolean}: one object fewer per proxied attempt on the hot path. */
	private static final AtomicIntegerFieldUpdater<InstanceAttempt> ENDED = AtomicIntegerFieldUpdater
		.newUpdater(InstanceAttempt.class, "ended");

	private volatile int ended;

	private long headerNanos = -1;

	private int status;

	InstanceAttempt(UpstreamRegistry registry, String upstream, InstanceState instance) {
		this.registry = registry;
		this.upstream = upstream;
		this.instance = instance;
		this.startNanos = System.nanoTime();
	}

	InstanceState instance() {
		return this.instance;
	}

	/** Response headers arrived with {@code status}. */
	public void responded(int status) {
		this.status = status;
		this.headerNanos = System.nanoTime() - this.startNanos;
	}

	boolean hasResponse() {
		return this.headerNanos >= 0;
	}

	/** The attempt failed with {@code error} (connect, timeout, reset…), before or while its response came. */
	public void failed(Throwable error) {
		end(NextUpstreamPolicy.outcome(error), NextUpstreamPolicy.describe(error));
	}

	/** The attempt was cancelled (the client went away, or another attempt won). */
	public void cancelled() {
		end(AttemptResult.Outcome.CANCELLED, "cancelled");
	}

	public void end(AttemptResult.Outcome outcome, String cause) {
		if (!ENDED.compareAndSet(this, 0, 1)) {
			return;
		}
		long total = System.nanoTime() - this.startNanos;
		long header = (this.headerNanos >= 0) ? this.headerNanos : total;
		this.instance.attemptEnded(outcome);
		this.registry.ended(new AttemptResult(this.upstream, this.instance, outcome, this.status, header, total,
				cause));
	}

}
