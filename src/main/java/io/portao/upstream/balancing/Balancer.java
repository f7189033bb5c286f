package io.portao.upstream.balancing;

import java.util.List;

/**
 * Picks one of an upstream's candidate instances for an attempt. The candidates are already filtered (untried,
 * not ejected, not down; or, when none is left, every untried one: nginx then tries them anyway); the balancer only
 * applies its policy. One per upstream, called concurrently.
 */
public interface Balancer {

	/** The index in {@code candidates} (never empty) of the instance to use at {@code nowMillis}. */
	int pick(List<? extends Candidate> candidates, long nowMillis);

	/** The balancer of {@code policy}: one per upstream, kept across requests. */
	static Balancer of(BalancingPolicy policy) {
		return switch (policy) {
			case ROUND_ROBIN -> new SmoothRoundRobin();
			case LEAST_CONNECTIONS -> new LeastLoaded((state, now) -> state.inFlight());
			case RANDOM_TWO_CHOICES -> new TwoRandomChoices();
			case LEAST_TIME -> new LeastLoaded((state, now) -> state.latencyMicros(now) * (state.inFlight() + 1));
		};
	}

}
