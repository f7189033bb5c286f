/**
 * Upstreams and their instances: choosing an instance (round robin, least connections, weights, backups),
 * failing over ({@code proxy_next_upstream}, tries, the retry budget), ejection and health checks, timeouts, and the
 * accounting of each attempt; the gateway path's filters. The proxy lane's {@code io.portao.proxy.UpstreamCall} calls the
 * same classes. It knows nothing of who observes it (metrics, access log): they listen.
 */
package io.portao.upstream;
