package io.portao.upstream.balancing;

import java.util.ArrayList;
import java.util.List;

/**
 * The candidate with the lowest load per unit of weight; ties go round robin among the tied ones, as nginx's
 * {@code ngx_http_upstream_get_least_conn_peer} does. With load = in flight this is {@code least-connections};
 * with load = peak EWMA of response time × (in flight + 1) it is {@code least-time} (Finagle's and Linkerd's cost,
 * compared over every candidate rather than two random ones, like NGINX Plus {@code least_time}).
 */
final class LeastLoaded implements Balancer {

	/** The load of an instance at a time. */
	@FunctionalInterface
	interface Load {

		double of(Candidate candidate, long nowMillis);

	}

	private final Load load;

	private final SmoothRoundRobin ties = new SmoothRoundRobin();

	LeastLoaded(Load load) {
		this.load = load;
	}

	@Override
	public int pick(List<? extends Candidate> candidates, long nowMillis) {
		int size = candidates.size();
		double[] cost = new double[size];
		double best = Double.MAX_VALUE;
		for (int i = 0; i < size; i++) {
			Candidate candidate = candidates.get(i);
			cost[i] = this.load.of(candidate, nowMillis) / candidate.effectiveWeight(nowMillis);
			best = Math.min(best, cost[i]);
		}
		List<Candidate> tied = new ArrayList<>(size);
		int[] index = new int[size];
		for (int i = 0; i < size; i++) {
			if (cost[i] == best) {
				index[tied.size()] = i;
				tied.add(candidates.get(i));
			}
		}
		return (tied.size() == 1) ? index[0] : index[this.ties.pick(tied, nowMillis)];
	}

}
