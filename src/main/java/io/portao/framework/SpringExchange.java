package io.portao.framework;

import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * Spring's request and response over a lane's Reactor Netty request and response, built by Spring's own
 * {@link ReactorHttpHandlerAdapter} (its request class is not public), so that an observation convention or
 * handler reads them exactly as for a request Spring handles. Views, for the observation context only: the
 * response reads its status from Reactor Netty's, and nothing is written through them.
 *
 * <p>Built per request only when something beyond Boot's default observation set-up may read the request, and
 * once per outcome otherwise ({@code lane.LaneRecorder}): it parses the URI, the cost lanes avoid.
 */
public record SpringExchange(ServerHttpRequest request, ServerHttpResponse response) {

	public static SpringExchange of(HttpServerRequest request, HttpServerResponse response) {
		SpringExchange[] built = new SpringExchange[1];
		// The adapter calls the handler at once, before anything subscribes; the Mono it returns is not needed.
		new ReactorHttpHandlerAdapter((springRequest, springResponse) -> {
			built[0] = new SpringExchange(springRequest, springResponse);
			return Mono.empty();
		}).apply(request, response);
		if (built[0] == null) {
			// The adapter refused the URI (it answers 400 itself): a lane must never take such a request.
			throw new IllegalStateException("Not a URI Spring accepts: " + request.uri());
		}
		return built[0];
	}

}
