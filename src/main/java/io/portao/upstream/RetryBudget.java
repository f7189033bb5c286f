package io.portao.upstream;

/**
 * Finagle's {@code RetryBudget} over a sliding window of one-second buckets: each request deposits
 * {@code ratio}, each retry withdraws 1, and {@code min-per-second} × window is always available. Synchronized:
 * two counters per request, far below the cost of the proxied call.
 */
final class RetryBudget {

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
	synchronized void deposit(long nowMillis) {
		this.requests[bucket(nowMillis)]++;
	}

	/** Whether a retry may be sent now; if so it is counted. */
	synchronized boolean tryWithdraw(long nowMillis) {
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
