package io.portao.metrics;

/**
 * Names of the per-instance meters and their tags ({@code docs/observability.md} lists them with their Prometheus
 * spelling). Tags are bounded: the upstream's name and the instance's {@code host:port}, never the request path.
 */
public final class UpstreamMeterNames {

	/** Timer: every attempt, tags {@code upstream}, {@code server}, {@code outcome}, {@code status} (class). */
	public static final String REQUESTS = "portao.upstream.requests";

	/** Counter: failed attempts, tags {@code upstream}, {@code server}, {@code cause}. */
	public static final String FAILURES = "portao.upstream.failures";

	/** Gauge: attempts in flight, tags {@code upstream}, {@code server}. */
	public static final String IN_FLIGHT = "portao.upstream.inflight";

	/** Gauge: 1 for the current state, 0 for the others; tags {@code upstream}, {@code server}, {@code state}. */
	public static final String STATE = "portao.upstream.state";

	/** Tag: the upstream's name. */
	public static final String UPSTREAM = "upstream";

	/**
	 * Tag: the instance's {@code host:port}, named as nginx names an upstream member ({@code server}); not
	 * {@code instance}, which is Prometheus's own target label and would arrive as {@code exported_instance}.
	 */
	public static final String SERVER = "server";

	private UpstreamMeterNames() {
	}

}
