package io.portao.upstream.balancing;

/**
 * What a balancer reads of an instance, and the one thing it keeps on it: nginx's {@code current_weight} of smooth
 * weighted round robin. The balancers know nothing else of instances (state, ejection, health), so choosing an
 * instance can be read, and tested, apart from failing over.
 */
public interface Candidate {

	/** The weight at {@code nowMillis}, scaled; less than the full weight during slow start. */
	int effectiveWeight(long nowMillis);

	/** Attempts sent to the instance whose response has not been relayed to its end yet. */
	int inFlight();

	/** The peak EWMA of response times (to headers) in microseconds, decayed to {@code nowMillis}. */
	double latencyMicros(long nowMillis);

	/** The instance's round-robin weight, which {@link SmoothRoundRobin} changes at every pick. */
	RoundRobinWeight roundRobin();

}
