/**
 * Requests answered ahead of Spring's HTTP adapter, from Reactor Netty's routes: the {@link io.portao.lane.Lane}
 * contract, the fallback to the full Spring path, and the recording of {@code http.server.requests} as Spring's
 * adapter would. The lanes themselves are {@code io.portao.staticfiles.StaticFileLane} and
 * {@code io.portao.proxy.ProxyLane}; the static one also answers from the connection's pipeline on cleartext
 * HTTP/1.1 ({@code io.portao.staticfiles.StaticFileHandler}), with the same recording.
 */
package io.portao.lane;
