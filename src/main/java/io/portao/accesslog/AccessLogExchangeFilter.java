package io.portao.accesslog;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.portao.stages.RequestStages;

/**
 * Hands the request's {@link AccessLogEntry} to the gateway filters (as an exchange attribute) and the exchange
 * to the log line (for the client address).
 */
final class AccessLogExchangeFilter implements WebFilter, Ordered {

	@Override
	public int getOrder() {
		return RequestStages.Web.ACCESS_LOG_ENTRY;
	}

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
