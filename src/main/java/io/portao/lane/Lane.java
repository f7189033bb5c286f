package io.portao.lane;

import org.reactivestreams.Publisher;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A kind of request answered straight from Reactor Netty's routes, ahead of Spring's HTTP adapter
 * ({@link LaneRoutes}): no Spring request (no URI parse), no exchange, no web filter chain. A lane takes only
 * requests it answers exactly as the full Spring path would, with the same access-log line and the same
 * {@code http.server.requests} series ({@link LaneRecorder}).
 *
 * <p>Lane beans are asked in their {@code @Order}; the first that {@link #takes} a request serves it, and a
 * request no lane takes goes to Spring's handler unchanged.
 */
public interface Lane {

	/**
	 * Whether this lane serves {@code request}. Called on the event loop for every request on the public port, so
	 * it must be cheap: no allocation, no URI parse ({@link HttpServerRequest#uri()} is the raw request target), no
	 * system call, no exception.
	 */
	boolean takes(HttpServerRequest request);

	/**
	 * Serves a request this lane {@link #takes took}. A lane that finds out only here that it cannot answer
	 * exactly (a file that does not exist) hands the request to {@link LaneFallback}.
	 */
	Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response);

}
