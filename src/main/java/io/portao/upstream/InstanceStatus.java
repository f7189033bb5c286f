package io.portao.upstream;

/**
 * Whether an instance takes part in balancing, as observers (the {@code /actuator/upstreams} endpoint, health,
 * meters) see it.
 */
public enum InstanceStatus {

	/** Balanced normally (possibly still ramping up its weight during {@code slow-start}). */
	UP,

	/** Left out after passive failures ({@code max-fails} within {@code fail-timeout}) until {@code ejectedUntil}. */
	EJECTED,

	/**
	 * Failed its active health check ({@code health-check.unhealthy-threshold} probes in a row), marked
	 * {@code down: true} in its metadata, or set down by an operator ({@link InstanceControl#DOWN}).
	 */
	DOWN,

	/** Set to drain by an operator: no new request, some still in flight. */
	DRAINING,

	/** Set to drain by an operator, with nothing left in flight: safe to stop. */
	DRAINED

}
