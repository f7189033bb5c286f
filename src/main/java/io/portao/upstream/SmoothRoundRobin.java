package io.portao.upstream;

import java.util.List;

/**
 * nginx's smooth weighted round robin ({@code ngx_http_upstream_get_peer}): each candidate's current weight grows
 * by its effective weight, the largest wins and is lowered by the total. Weights 5, 1, 1 give a a b a c a a, never
 * five a in a row; equal weights give strict alternation in list order. Without nginx's {@code effective_weight}
 * penalty on failures: ejection and slow start cover that here.
 */
final class SmoothRoundRobin implements Balancer {

	@Override
	public synchronized int pick(List<InstanceState> candidates, long nowMillis) {
		int total = 0;
		int best = -1;
		for (int i = 0; i < candidates.size(); i++) {
			InstanceState candidate = candidates.get(i);
			int weight = candidate.effectiveWeight(nowMillis);
			candidate.currentWeight += weight;
			total += weight;
			if (best < 0 || candidate.currentWeight > candidates.get(best).currentWeight) {
				best = i;
			}
		}
		candidates.get(best).currentWeight -= total;
		return best;
	}

}
