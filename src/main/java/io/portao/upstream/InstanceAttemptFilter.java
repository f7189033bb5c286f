package io.portao.upstream;

import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR;

import io.portao.stages.RequestStages;

/**
 * Accounts every attempt to an instance: in flight from the moment the balancer's choice is called until the
 * response is relayed to its end (or the attempt fails), so that in-flight counts, request counts and latencies
 * are exact and cover retries. Spring Cloud LoadBalancer's {@code LoadBalancerLifecycle} ends at the response
 * headers and does not see the body, which is why this is a filter of ours.
 */
@Order(RequestStages.Gateway.ATTEMPT)
public class InstanceAttemptFilter implements GlobalFilter {

	private final UpstreamRegistry registry;

	public InstanceAttemptFilter(UpstreamRegistry registry) {
		this.registry = registry;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		RequestAttempts attempts = exchange.getAttribute(RequestAttempts.ATTRIBUTE);
		Response<ServiceInstance> chosen = exchange.getAttribute(GATEWAY_LOADBALANCER_RESPONSE_ATTR);
		if (attempts == null || chosen == null || !chosen.hasServer()) {
			return chain.filter(exchange);
		}
		InstanceState instance = this.registry.upstream(attempts.upstream()).instance(chosen.getServer());
		InstanceAttempt attempt = this.registry.start(attempts.upstream(), instance);
		attempts.started(attempt);
		Mono<Void> routed = chain.filter(exchange);
		if (attempts.releasable()) {
			routed = instance.release().releasable(routed);
		}
		return routed
			.doOnSuccess(done -> attempt.responded(status(exchange)))
			.doOnError(attempt::failed)
			.doOnCancel(attempt::cancelled);
	}

	private static int status(ServerWebExchange exchange) {
		HttpStatusCode status = exchange.getResponse().getStatusCode();
		return (status != null) ? status.value() : 0;
	}

}
