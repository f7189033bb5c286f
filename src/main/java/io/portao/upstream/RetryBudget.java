package io.portao.upstream;

/**
 * Finagle's {@code RetryBudget} over a sliding window of one-second buckets: each request deposits
 * {@code ratio}, each retry withdraws 1, and {@code min-per-second} × window is always available; unlike
 * Finagle's, a retry that got an answer is {@linkplain #refund given back}. So only retries that fail again (or
 * are still waiting) spend the budget: failover from a dead or frozen instance to a healthy one never does, however
 * many requests it moves at once, while a sick cluster, where retries fail too, soon stops being retried
 * (docs/upstreams.md, "Retry budget", compares Envoy, Finagle and nginx). Synchronized: a few counters per retry,
 * far below the cost of the proxied call.
 */
public final class RetryBudget {

	private final double ratio;

	private final long reserve;

	private final long[] second;

	private final long[] requests;

	private final long[] retries;

	RetryBudget(RetryBudgetProperties properties) {
		int buckets = (int) properties.window().toSeconds();
		this.ratio = properties.ratio();
		this.reserve = (long) properties.minPerSecond() * buckets;
		this.second = new long[buckets];
		this.requests = new long[buckets];
		this.retries = new long[buckets];
	}

	/** A client request arrived. */
	public synchronized void deposit(long nowMillis) {
		this.requests[bucket(nowMillis)]++;
	}

	/** Whether a retry may be sent now; if so it is counted. */
	public synchronized boolean tryWithdraw(long nowMillis) {
		int current = bucket(nowMillis);
		long now = this.second[current];
		long requestSum = 0;
		long retrySum = 0;
		for (int i = 0; i < this.second.length; i++) {
			if (now - this.second[i] < this.second.length) {
				requestSum += this.requests[i];
				retrySum += this.retries[i];
			}
		}
		if (retrySum + 1 > this.ratio * requestSum + this.reserve) {
			return false;
		}
		this.retries[current]++;
		return true;
	}

	/**
	 * The retry withdrawn at {@code withdrawnAtMillis} got an answer from its instance: it moved a request off a
	 * failed instance and cost the upstream nothing it would not have served anyway, so it no longer counts. A retry
	 * whose second has left the window counts no more anyway.
	 */
	public synchronized void refund(long withdrawnAtMillis) {
		long second = Math.floorDiv(withdrawnAtMillis, 1000);
		int index = (int) Math.floorMod(second, (long) this.second.length);
		if (this.second[index] == second && this.retries[index] > 0) {
			this.retries[index]--;
		}
	}

	/** The bucket of {@code nowMillis}'s second, emptied if it last held a second that left the window. */
	private int bucket(long nowMillis) {
		long now = Math.floorDiv(nowMillis, 1000);
		int index = (int) Math.floorMod(now, (long) this.second.length);
		if (this.second[index] != now) {
			this.second[index] = now;
			this.requests[index] = 0;
			this.retries[index] = 0;
		}
		return index;
	}

}
