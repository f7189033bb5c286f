package io.portao.upstream.failover;

import java.net.URI;

import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;

import io.portao.stages.RequestStages;
import io.portao.upstream.NextUpstreamPolicy;
import io.portao.upstream.RequestAttempts;
import io.portao.upstream.Upstream;
import io.portao.upstream.UpstreamRegistry;
import io.portao.upstream.UpstreamTimeouts;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

/**
 * nginx {@code proxy_next_upstream} for every {@code lb://} route: runs the balancer and the proxy call, and when
 * an attempt fails (or answers 502/503/504, if configured) before anything went to the client and
 * {@link Failover} (the policy, {@code next-upstream-tries}, {@code next-upstream-timeout} and the retry budget,
 * which retries that get an answer do not spend) allows it, runs them again, the balancer skipping every instance already tried.
 *
 * <p>Ordered just before the load-balancer filter ({@code io.portao.framework.LeanLoadBalancerClientFilter}, in the place of Spring Cloud
 * Gateway's {@link ReactiveLoadBalancerClientFilter}) so that each attempt re-runs the balancer and
 * {@code NettyRoutingFilter}. {@code NettyRoutingFilter} only sets the status and headers
 * on the exchange's response; the body is written later by {@code NettyWriteResponseFilter}, outside this filter,
 * so a 5xx is still unwritten when it is retried ({@link ServerWebExchangeUtils#reset} drops its headers and
 * connection) and nothing is retried once bytes reached the client. Spring's {@code Retry} filter is not used: it
 * caches request bodies, may pick the failed instance again and has no budget.
 */
@Order(RequestStages.Gateway.NEXT_UPSTREAM)
public class NextUpstreamFilter implements GlobalFilter {

	private final UpstreamRegistry registry;

	private final Failover failover;

	private final UpstreamTimeouts timeouts = new UpstreamTimeouts();

	public NextUpstreamFilter(UpstreamRegistry registry) {
		this.registry = registry;
		this.failover = new Failover(registry);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
		if (url == null || !"lb".equals(url.getScheme())) {
			return chain.filter(exchange);
		}
		long now = this.registry.now();
		Upstream upstream = this.registry.upstream(url.getHost());
		upstream.retryBudget().deposit(now);
		BodyTrackingRequest request = new BodyTrackingRequest(exchange.getRequest());
		ServerWebExchange tracked = exchange.mutate().request(request).build();
		RequestAttempts attempts = new RequestAttempts(upstream.name(), now, NextUpstreamPolicy
			.passesOnTimeouts(upstream.settings().nextUpstream(), request.getMethod(), request.hasBody()));
		tracked.getAttributes().put(RequestAttempts.ATTRIBUTE, attempts);
		this.timeouts.applyTo(tracked, upstream.settings());
		return attempt(new Call(tracked, chain, url, request, attempts, upstream));
	}

	private Mono<Void> attempt(Call call) {
		call.exchange.getAttributes().remove(GATEWAY_LOADBALANCER_RESPONSE_ATTR);
		// failed() and responded() each see only this attempt's outcome, not the outcome of the retries they start.
		return call.chain.filter(call.exchange)
			.then(Mono.just(Boolean.TRUE))
			.onErrorResume(error -> failed(call, error).then(Mono.empty()))
			.flatMap(routed -> responded(call));
	}

	/** Response headers arrived: hand them to the client, or pass a 502/503/504 on to the next instance. */
	private Mono<Void> responded(Call call) {
		HttpStatusCode status = call.exchange.getResponse().getStatusCode();
		ServiceInstance instance = chosen(call.exchange);
		if (!this.failover.passOn(call.upstream, call.attempts, (status != null) ? status.value() : 0,
				(instance != null) ? Upstream.authority(instance) : null, call.request.getMethod(),
				call.request.bodyStarted(), call.request.getURI().getRawPath())) {
			UpstreamTimeouts.watchIdle(call.exchange, call.upstream.settings());
			return Mono.empty();
		}
		return retry(call);
	}

	private Mono<Void> failed(Call call, Throwable error) {
		ServiceInstance instance = chosen(call.exchange);
		Throwable answer = this.failover.failed(call.upstream, call.attempts,
				(instance != null) ? Upstream.authority(instance) : null, error, call.request.getMethod(),
				call.request.bodyStarted(), call.request.getURI().getRawPath());
		return (answer != null) ? Mono.error(answer) : retry(call);
	}

	private Mono<Void> retry(Call call) {
		ServerWebExchangeUtils.reset(call.exchange);
		call.exchange.getResponse().setStatusCode(null);
		call.exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, call.lbUrl);
		return attempt(call);
	}

	private static ServiceInstance chosen(ServerWebExchange exchange) {
		Response<ServiceInstance> response = exchange.getAttribute(GATEWAY_LOADBALANCER_RESPONSE_ATTR);
		return (response != null && response.hasServer()) ? response.getServer() : null;
	}

	/** One client request being passed from instance to instance. */
	private record Call(ServerWebExchange exchange, GatewayFilterChain chain, URI lbUrl, BodyTrackingRequest request,
			RequestAttempts attempts, Upstream upstream) {

	}

}
