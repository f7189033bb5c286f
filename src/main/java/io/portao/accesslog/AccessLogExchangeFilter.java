package io.portao.accesslog;

import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.portao.stages.RequestStages;

/**
 * Hands the request's {@link AccessLogEntry} to the gateway filters (as an exchange attribute) and the exchange
 * to the log line (for the client address).
 */
@Order(RequestStages.Web.ACCESS_LOG_ENTRY)
final class AccessLogExchangeFilter implements WebFilter {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		AccessLogEntry entry = CountingResponse.entryOf(exchange.getResponse());
		if (entry != null) {
			entry.exchange = exchange;
			exchange.getAttributes().put(AccessLogEntry.ATTRIBUTE, entry);
		}
		return chain.filter(exchange);
	}

}
