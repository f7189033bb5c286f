package io.portao.upstream;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.portao.upstream.balancing.Candidate;
import io.portao.upstream.balancing.PeakEwma;
import io.portao.upstream.balancing.RoundRobinWeight;

/**
 * What the gateway knows of one instance of an upstream: its weight, its failures and ejections, its health-check
 * state, its load (in flight) and response times. Written by the attempts that used the instance and by health
 * probes, read by the balancer and by observers; never blocks.
 */
public final class InstanceState implements Candidate {

	/** Weights are scaled so that slow start can ramp them in small steps while staying integers. */
	static final int WEIGHT_SCALE = 100;

	private final String authority;

	private volatile UpstreamProperties settings;

	private volatile InstanceMetadata metadata = InstanceMetadata.DEFAULT;

	/** The operator's setting, or {@code null}: the configuration decides. */
	private volatile InstanceControl control;

	private final InstanceProbes probes = new InstanceProbes();

	private final InstanceEjection ejection = new InstanceEjection();

	/** Start of the slow-start ramp (epoch millis), 0 when none. */
	private volatile long rampFrom;

	private volatile Instant lastFailureAt;

	private volatile String lastFailureCause;

	private final LongAdder requests = new LongAdder();

	private final LongAdder failures = new LongAdder();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final PeakEwma latency;

	private final TimeoutEjectionRelease release = new TimeoutEjectionRelease();

	/** Smooth round robin's current weight, guarded by the upstream's balancing lock. */
	private final RoundRobinWeight roundRobin = new RoundRobinWeight();

	InstanceState(String authority, UpstreamProperties settings) {
		this.authority = authority;
		this.settings = settings;
		this.latency = new PeakEwma(settings.leastTimeDecay().toMillis());
	}

	/**
	 * The upstream's reloaded properties: failure counting, ejection and slow-start follow them from now on; the
	 * latency average keeps the decay it was created with.
	 */
	void settings(UpstreamProperties next) {
		this.settings = next;
	}

	/** {@code host:port} of the instance. */
	public String authority() {
		return this.authority;
	}

	/**
	 * The instance's status at {@code nowMillis}: {@link InstanceStatus#DOWN} (failed active health check, set down
	 * by an operator, or {@code metadata.down} unless an operator set it up) wins over draining, which wins over
	 * {@link InstanceStatus#EJECTED} (passive failures).
	 */
	public InstanceStatus status(long nowMillis) {
		InstanceControl control = this.control;
		if (this.probes.isDown() || control == InstanceControl.DOWN || (control == null && this.metadata.down())) {
			return InstanceStatus.DOWN;
		}
		if (control == InstanceControl.DRAIN) {
			return (this.inFlight.get() > 0) ? InstanceStatus.DRAINING : InstanceStatus.DRAINED;
		}
		return isEjected(nowMillis) ? InstanceStatus.EJECTED : InstanceStatus.UP;
	}

	/** The operator's setting, or {@code null} when none was made. */
	public InstanceControl control() {
		return this.control;
	}

	/**
	 * Applies an operator's setting. An instance that goes back to {@link InstanceControl#UP} from being held out
	 * ramps up as one back from an ejection ({@code slow-start}).
	 */
	void control(InstanceControl control, long nowMillis) {
		boolean wasHeldOut = isHeldOut();
		this.control = control;
		if (wasHeldOut && !isHeldOut()) {
			this.rampFrom = nowMillis;
		}
	}

	/** Whether the instance is left out of balancing after failures at {@code nowMillis}. */
	public boolean isEjected(long nowMillis) {
		return this.ejection.isEjected(nowMillis);
	}

	/** Until when the instance is (or was last) ejected, epoch millis, or 0 if it never was. */
	public long ejectedUntil() {
		return this.ejection.ejectedUntil();
	}

	/**
	 * Whether the instance is back from an ejection without an answer since: its ejection ended, and no attempt has
	 * succeeded yet.
	 */
	boolean isRecovering(long nowMillis) {
		return this.ejection.isRecovering(nowMillis);
	}

	/**
	 * Whether the balancer may send the instance a request at {@code nowMillis} as far as its last ejection goes:
	 * always, unless it is {@linkplain #isRecovering recovering}, when one trial request per {@code fail-timeout}
	 * goes to it until one succeeds. This is nginx's round robin ({@code ngx_http_upstream_get_peer} lets a server
	 * with {@code max_fails} failures take one request per {@code fail_timeout}, {@code peer->checked}): an instance
	 * that is still frozen when its ejection ends then holds up one request, not every request that picks it until
	 * the first of them times out.
	 */
	boolean trialDue(long nowMillis) {
		return this.ejection.trialDue(nowMillis, failTimeoutMillis());
	}

	/**
	 * The balancer picked the instance at {@code nowMillis}: if it is recovering, claims its trial; false when
	 * another request claimed it first.
	 */
	boolean claimTrial(long nowMillis) {
		return this.ejection.claimTrial(nowMillis, failTimeoutMillis());
	}

	/** When the last failed attempt (or failed health probe) ended, or {@code null} if none did. */
	public Instant lastFailureAt() {
		return this.lastFailureAt;
	}

	/** A short cause of the last failure ("connect refused", "timeout", "http 503"), or {@code null}. */
	public String lastFailureCause() {
		return this.lastFailureCause;
	}

	/** The instance's weight ({@code metadata.weight}, default 1). */
	public int weight() {
		return this.metadata.weight();
	}

	/** Whether the instance is a backup ({@code metadata.backup}), used only when every primary is out. */
	public boolean isBackup() {
		return this.metadata.backup();
	}

	/** Attempts sent to the instance so far, failed ones included. */
	public long requests() {
		return this.requests.sum();
	}

	/** Attempts that ended in a failure ({@link AttemptResult.Outcome#isFailure()}). */
	public long failures() {
		return this.failures.sum();
	}

	@Override
	public RoundRobinWeight roundRobin() {
		return this.roundRobin;
	}

	/** Attempts started and not ended yet: sent, and their response not relayed to its end. */
	@Override
	public int inFlight() {
		return this.inFlight.get();
	}

	/** The peak EWMA of response times (to headers) in microseconds, decayed to {@code nowMillis}. */
	@Override
	public double latencyMicros(long nowMillis) {
		return this.latency.get(nowMillis);
	}

	/**
	 * The weight the balancer uses at {@code nowMillis}, scaled by {@link #WEIGHT_SCALE}: during slow start it
	 * grows linearly from 10 % to the full weight.
	 */
	@Override
	public int effectiveWeight(long nowMillis) {
		int full = this.metadata.weight() * WEIGHT_SCALE;
		long from = this.rampFrom;
		long ramp = this.settings.slowStart().toMillis();
		if (from == 0 || ramp == 0 || nowMillis < from || nowMillis >= from + ramp) {
			return full;
		}
		double share = 0.1 + 0.9 * (nowMillis - from) / ramp;
		return Math.max(1, (int) (full * share));
	}

	/**
	 * The instance's {@code fail-timeout}: its metadata's (nginx's per-{@code server} {@code fail_timeout}), or the
	 * upstream's.
	 */
	private long failTimeoutMillis() {
		return this.metadata.failTimeout(this.settings).toMillis();
	}

	void metadata(InstanceMetadata metadata) {
		this.metadata = metadata;
	}

	/**
	 * Whether no request at all may go to the instance, not even when every instance is out: set down or to drain
	 * by an operator, or {@code metadata.down} unless an operator set it up.
	 */
	boolean isHeldOut() {
		InstanceControl control = this.control;
		return (control != null) ? control != InstanceControl.UP : this.metadata.down();
	}

	/** The instance just joined a running upstream: ramp it up as one coming back. */
	void added(long nowMillis) {
		this.rampFrom = nowMillis;
	}

	void attemptStarted() {
		this.requests.increment();
		this.inFlight.incrementAndGet();
	}

	void attemptEnded(AttemptResult.Outcome outcome) {
		this.inFlight.decrementAndGet();
		if (outcome.isFailure()) {
			this.failures.increment();
		}
	}

	/** The attempts waiting on this instance that a timeout ejecting it releases. */
	public TimeoutEjectionRelease release() {
		return this.release;
	}

	void observeLatency(long nanos, long nowMillis) {
		this.latency.observe(nanos / 1000.0, nowMillis);
	}

	/**
	 * Counts a failed attempt (nginx {@code ngx_http_upstream_free_round_robin_peer}); true when it makes
	 * {@code max-fails} within {@code fail-timeout}, i.e. the instance should be ejected.
	 */
	boolean countFailure(long nowMillis, String cause) {
		this.lastFailureAt = Instant.ofEpochMilli(nowMillis);
		this.lastFailureCause = cause;
		return this.ejection.countFailure(nowMillis, this.metadata.maxFails(this.settings), failTimeoutMillis());
	}

	/**
	 * Ejects the instance: for {@code fail-timeout} the first time, twice as long at each consecutive ejection, up
	 * to {@code max-ejection-time}; its slow start begins when the ejection ends. An ejection is consecutive unless
	 * the instance stayed in at least as long as it was last out (Envoy lowers its multiplier in the same spirit).
	 */
	void eject(long nowMillis) {
		this.rampFrom = this.ejection.eject(nowMillis, failTimeoutMillis(), this.settings.maxEjectionTime().toMillis());
	}

	/**
	 * A successful attempt clears the failure count, and the ejection count once the instance is back: a trial
	 * succeeded, so the instance takes its full share again (its slow start, if any, begins now).
	 */
	void recordSuccess(long nowMillis) {
		if (this.ejection.recordSuccess(nowMillis)) {
			this.rampFrom = nowMillis;
		}
	}

	/** The instance's active health checks ({@code upstream.health} probes it). */
	public InstanceProbes probes() {
		return this.probes;
	}

	/**
	 * Records a probe's result (called by the one probe in flight): {@code unhealthy-threshold} failures in a row
	 * make the instance DOWN, {@code healthy-threshold} passes in a row bring it back (and start its slow start).
	 */
	public void probeEnded(boolean passed, long nowMillis, String cause, HealthCheckProperties check) {
		if (this.probes.ended(passed, nowMillis, cause, check)) {
			this.rampFrom = nowMillis;
		}
		if (!passed) {
			this.lastFailureAt = Instant.ofEpochMilli(nowMillis);
			this.lastFailureCause = "health check: " + cause;
		}
	}

}
