package io.portao.accesslog;

import java.net.URI;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;

import io.portao.upstream.AttemptLog;
import io.portao.stages.RequestStages;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

/**
 * Notes each attempt of a proxied request for {@code $upstream_addr}, {@code $upstream_status} and
 * {@code $upstream_response_time}. Runs once per attempt (the failover filter re-runs the chain from the
 * balancer), after the balancer has put the chosen instance into the request URL.
 */
@Order(RequestStages.Gateway.ATTEMPT_LOG)
final class UpstreamAttemptLogFilter implements GlobalFilter {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		AccessLogEntry entry = exchange.getAttribute(AccessLogEntry.ATTRIBUTE);
		URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
		if (entry == null || url == null || url.getHost() == null) {
			return chain.filter(exchange);
		}
		int index = entry.attemptStarted(url.getHost() + ":" + url.getPort());
		return chain.filter(exchange)
			.doOnSuccess(done -> entry.attemptResponded(index, status(exchange)))
			.doOnError(error -> entry.attemptFailed(index, AttemptLog.statusOf(error)));
	}

	private static int status(ServerWebExchange exchange) {
		HttpStatusCode status = exchange.getResponse().getStatusCode();
		return (status != null) ? status.value() : 0;
	}

}
