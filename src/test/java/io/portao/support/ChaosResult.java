package io.portao.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What the clients of one {@link ChaosScenario} run saw. */
public final class ChaosResult {

	final String proxy;

	final String method;

	final LongAdder ok = new LongAdder();

	final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();

	final LongAdder broken = new LongAdder();

	final Map<String, LongAdder> brokenCauses = new ConcurrentHashMap<>();

	final LongAdder slow = new LongAdder();

	final AtomicLong slowest = new AtomicLong();

	final List<String> events = new ArrayList<>();

	ChaosResult(String proxy, String method) {
		this.proxy = proxy;
		this.method = method;
	}

	void answered(int status) {
		if (status == 200) {
			this.ok.increment();
		}
		else {
			this.statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
		}
	}

	void noAnswer(Exception cause) {
		this.broken.increment();
		this.brokenCauses.computeIfAbsent(cause.getClass().getSimpleName(), c -> new LongAdder()).increment();
	}

	void took(long millis) {
		this.slowest.accumulateAndGet(millis, Math::max);
		if (millis > ChaosScenario.RESPONSE_TIMEOUT.toMillis()) {
			this.slow.increment();
		}
	}

	public long ok() {
		return this.ok.sum();
	}

	/** Answers other than 200, and requests without an answer (reset, closed, timed out). */
	public long errors() {
		return this.statuses.values().stream().mapToLong(LongAdder::sum).sum() + this.broken.sum();
	}

	/** Requests that got no HTTP answer at all. */
	public long broken() {
		return this.broken.sum();
	}

	/** The non-200 answers by status. */
	public Map<Integer, Long> statuses() {
		Map<Integer, Long> counts = new TreeMap<>();
		this.statuses.forEach((status, count) -> counts.put(status, count.sum()));
		return counts;
	}

	public long requests() {
		return ok() + errors();
	}

	/** Requests that took longer than the response timeout: they waited on the frozen instance. */
	public long slow() {
		return this.slow.sum();
	}

	/** The proxy's log lines on ejections, budget refusals and upstream timeouts, for the record. */
	public List<String> events() {
		return this.events;
	}

	@Override
	public String toString() {
		return String.format("%-6s %-4s requests %7d, errors %4d (%s; no answer %d%s), slower than %d s %d, "
				+ "slowest %d ms", this.proxy, this.method, requests(), errors(), statuses(), broken(),
				this.brokenCauses.isEmpty() ? "" : " " + this.brokenCauses, ChaosScenario.RESPONSE_TIMEOUT.toSeconds(), slow(),
				this.slowest.get());
	}

}
