package io.portao.upstream.balancing;

/**
 * Peak exponentially weighted moving average of an instance's response times, as in Finagle's {@code PeakEwma}
 * and Linkerd's balancer: a slower response raises it at once (the peak), faster ones lower it gradually, and
 * reading it decays it towards 0 with time constant {@code tau}, so an instance not used for a while is tried
 * again. Millisecond timestamps from the registry's clock, so that tests can move time.
 */
public final class PeakEwma {

	private final double tauMillis;

	private double cost;

	private long stampMillis;

	public PeakEwma(long tauMillis) {
		this.tauMillis = tauMillis;
	}

	/** Records a response time of {@code rttMicros} at {@code nowMillis}. */
	public synchronized void observe(double rttMicros, long nowMillis) {
		long elapsed = Math.max(nowMillis - this.stampMillis, 0);
		this.stampMillis = nowMillis;
		if (rttMicros > this.cost) {
			this.cost = rttMicros;
			return;
		}
		double w = Math.exp(-elapsed / this.tauMillis);
		this.cost = this.cost * w + rttMicros * (1 - w);
	}

	/** The average at {@code nowMillis}, decayed since the last observation (Finagle observes 0 on read). */
	public synchronized double get(long nowMillis) {
		observe(0, nowMillis);
		return this.cost;
	}

}
