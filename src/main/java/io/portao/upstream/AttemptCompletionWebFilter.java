package io.portao.upstream;

import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.core.annotation.Order;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.portao.stages.RequestStages;

/**
 * Ends the attempt whose response an exchange relayed when the exchange itself ends, after the last body byte
 * went to the client (Spring Cloud Gateway writes the body in {@code NettyWriteResponseFilter}, outside the
 * gateway filters that see the attempt start). Outermost, so that nothing written later is missed.
 */
@Order(RequestStages.Web.ATTEMPT_COMPLETION)
public class AttemptCompletionWebFilter implements WebFilter {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return chain.filter(exchange).doFinally(signal -> ended(exchange, signal));
	}

	private static void ended(ServerWebExchange exchange, SignalType signal) {
		RequestAttempts attempts = exchange.getAttribute(RequestAttempts.ATTRIBUTE);
		if (attempts != null) {
			attempts.exchangeEnded(signal);
		}
	}

}
