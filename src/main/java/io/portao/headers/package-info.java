/**
 * The proxy headers of the reference configuration: {@code Host} preserved, {@code X-Real-IP}, {@code X-Scheme},
 * hop-by-hop and client-sent {@code X-Forwarded-*} removed, the raw request target forwarded byte for byte; the client
 * address behind trusted proxies (nginx's realip module). {@link io.portao.headers.LaneHeaders} does the same in one
 * pass for the proxy lane.
 */
package io.portao.headers;
