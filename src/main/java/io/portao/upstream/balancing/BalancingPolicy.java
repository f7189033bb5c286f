package io.portao.upstream.balancing;

import java.util.Locale;

/** How an upstream picks an instance for each attempt ({@code portao.upstream.policy}). */
public enum BalancingPolicy {

	/** Smooth weighted round robin, exactly nginx's default ({@code ngx_http_upstream_get_peer}). */
	ROUND_ROBIN,

	/** Fewest attempts in flight per unit of weight, ties in round robin (nginx {@code least_conn}). */
	LEAST_CONNECTIONS,

	/** Two instances drawn at random by weight, the one with fewer in flight wins (nginx {@code random two}). */
	RANDOM_TWO_CHOICES,

	/** Lowest peak-EWMA response time × (in flight + 1) per weight (Finagle/Linkerd peak EWMA). */
	LEAST_TIME;

	/** The name as written in configuration, e.g. {@code least-time}. */
	public String configName() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
