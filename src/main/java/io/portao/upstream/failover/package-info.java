/**
 * Failing over: whether a request goes on to the next instance ({@link io.portao.upstream.failover.Failover}, nginx's
 * {@code proxy_next_upstream} with its tries, timeout and the retry budget) and the gateway path's filter that asks
 * it after each attempt. Choosing the next instance is {@code upstream.balancing}'s; the per-upstream settings
 * ({@code NextUpstreamPolicy}, {@code RetryBudget}) and the accounting of attempts are {@code upstream}'s.
 */
package io.portao.upstream.failover;
