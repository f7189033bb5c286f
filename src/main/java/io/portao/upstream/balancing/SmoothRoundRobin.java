package io.portao.upstream.balancing;

import java.util.List;

/**
 * nginx's smooth weighted round robin ({@code ngx_http_upstream_get_peer}): each candidate's current weight grows
 * by its effective weight, the largest wins and is lowered by the total. Weights 5, 1, 1 give a a b a c a a, never
 * five a in a row; equal weights give strict alternation in list order. Without nginx's {@code effective_weight}
 * penalty on failures: ejection and slow start cover that here.
 */
final class SmoothRoundRobin implements Balancer {

	@Override
	public synchronized int pick(List<? extends Candidate> candidates, long nowMillis) {
		int total = 0;
		int best = -1;
		for (int i = 0; i < candidates.size(); i++) {
			Candidate candidate = candidates.get(i);
			int weight = candidate.effectiveWeight(nowMillis);
			candidate.roundRobin().current += weight;
			total += weight;
			if (best < 0 || candidate.roundRobin().current > candidates.get(best).roundRobin().current) {
				best = i;
			}
		}
		candidates.get(best).roundRobin().current -= total;
		return best;
	}

}
