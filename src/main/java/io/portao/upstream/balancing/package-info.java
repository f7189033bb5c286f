/**
 * Choosing an instance among an upstream's candidates: the balancing policies (nginx's smooth weighted round robin,
 * {@code least_conn}, {@code random two}, NGINX Plus's {@code least_time} as a peak EWMA). The candidates come
 * already filtered by failover and health ({@code io.portao.upstream}); this package only applies a policy, and
 * sees instances only as {@link io.portao.upstream.balancing.Candidate}s.
 */
package io.portao.upstream.balancing;
