package io.portao.upstream.balancing;

/**
 * nginx's {@code current_weight} of one instance ({@code ngx_http_upstream_rr_peer_t}): raised by its effective
 * weight at every pick, lowered by the total when picked. Guarded by the upstream's {@link SmoothRoundRobin}.
 */
public final class RoundRobinWeight {

	int current;

}
