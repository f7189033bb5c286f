/**
 * What a client request may be, checked before static files and routing: finite sizes and times (the header
 * deadline nginx calls {@code client_header_timeout}, the body cap {@code client_max_body_size}, the body read
 * timeout, header count, HTTP/2 stream and reset limits, requests in flight per instance), unambiguous framing
 * (request smuggling), a request line and {@code Host} nginx would read (version, method, target form, host and
 * port syntax) and unambiguous paths (dot segments, encoded control characters).
 *
 * <p>Properties: {@link io.portao.limits.LimitsProperties} ({@code portao.limits.*}); Boot's own
 * {@code server.max-http-request-header-size}, {@code server.netty.max-initial-line-length} and
 * {@code server.netty.idle-timeout} cover the rest. The table with nginx's equivalent of each is in
 * {@code docs/hardening.md}.
 */
package io.portao.limits;
