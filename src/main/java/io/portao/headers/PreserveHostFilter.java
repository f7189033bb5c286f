package io.portao.headers;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.annotation.Order;
import org.springframework.web.server.ServerWebExchange;

import io.portao.stages.RequestStages;

/**
 * nginx {@code proxy_set_header Host $http_host}: the instance sees the {@code Host} the client sent, port
 * included, on every route (Spring Cloud Gateway's {@code PreserveHostHeader} filter, made a default so that the
 * configuration contract needs no per-route filter).
 */
@Order(RequestStages.Gateway.PRESERVE_HOST)
public class PreserveHostFilter implements GlobalFilter {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		exchange.getAttributes().put(ServerWebExchangeUtils.PRESERVE_HOST_HEADER_ATTRIBUTE, Boolean.TRUE);
		return chain.filter(exchange);
	}

}
