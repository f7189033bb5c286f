package io.portao.upstream.balancing;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The power of two choices (Mitzenmacher; nginx {@code random two least_conn}): two different candidates drawn
 * at random in proportion to their weights, the one with fewer attempts in flight per weight wins. Avoids the herd
 * that a global minimum causes when many balancers see the same stale counts, at O(1) cost.
 */
final class TwoRandomChoices implements Balancer {

	@Override
	public int pick(List<? extends Candidate> candidates, long nowMillis) {
		if (candidates.size() == 1) {
			return 0;
		}
		int first = draw(candidates, -1, nowMillis);
		int second = draw(candidates, first, nowMillis);
		Candidate a = candidates.get(first);
		Candidate b = candidates.get(second);
		long costA = (long) a.inFlight() * b.effectiveWeight(nowMillis);
		long costB = (long) b.inFlight() * a.effectiveWeight(nowMillis);
		return (costB < costA) ? second : first;
	}

	/** A weighted random index, never {@code excluded}. */
	private static int draw(List<? extends Candidate> candidates, int excluded, long nowMillis) {
		long total = 0;
		for (int i = 0; i < candidates.size(); i++) {
			total += (i == excluded) ? 0 : candidates.get(i).effectiveWeight(nowMillis);
		}
		long target = ThreadLocalRandom.current().nextLong(total);
		for (int i = 0; i < candidates.size(); i++) {
			if (i == excluded) {
				continue;
			}
			target -= candidates.get(i).effectiveWeight(nowMillis);
			if (target < 0) {
				return i;
			}
		}
		return (excluded == candidates.size() - 1) ? candidates.size() - 2 : candidates.size() - 1;
	}

}
