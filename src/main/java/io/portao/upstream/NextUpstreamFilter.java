package io.portao.upstream;

import java.net.URI;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

/**
 * nginx {@code proxy_next_upstream error} for every {@code lb://} route: runs the balancer and the proxy call,
 * and when an attempt fails before response headers arrived and {@link NextUpstreamPolicy} allows it, runs them
 * again, the balancer skipping every instance already tried. When none is left, the client gets 502.
 *
 * <p>Ordered just before Spring Cloud Gateway's {@link ReactiveLoadBalancerClientFilter} so that each attempt
 * re-runs the balancer and {@code NettyRoutingFilter}; the response body is written later by
 * {@code NettyWriteResponseFilter}, outside this filter, so nothing is retried once bytes reached the client.
 * Spring's {@code Retry} filter is not used: it caches request bodies and may pick the failed instance again.
 */
public class NextUpstreamFilter implements GlobalFilter, Ordered {

	/** Runs right before the load balancer. */
	public static final int ORDER = ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER - 1;

	private static final Log logger = LogFactory.getLog(NextUpstreamFilter.class);

	private final UpstreamRegistry registry;

	public NextUpstreamFilter(UpstreamRegistry registry) {
		this.registry = registry;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
		if (url == null || !"lb".equals(url.getScheme())) {
			return chain.filter(exchange);
		}
		BodyTrackingRequest request = new BodyTrackingRequest(exchange.getRequest());
		ServerWebExchange tracked = exchange.mutate().request(request).build();
		Attempts attempts = new Attempts(url.getHost());
		tracked.getAttributes().put(Attempts.ATTRIBUTE, attempts);
		return attempt(tracked, chain, url, request, attempts);
	}

	private Mono<Void> attempt(ServerWebExchange exchange, GatewayFilterChain chain, URI lbUrl,
			BodyTrackingRequest request, Attempts attempts) {
		exchange.getAttributes().remove(GATEWAY_LOADBALANCER_RESPONSE_ATTR);
		return chain.filter(exchange)
			.doOnSuccess(done -> succeeded(exchange, lbUrl))
			.onErrorResume(error -> failed(exchange, chain, lbUrl, request, attempts, error));
	}

	private void succeeded(ServerWebExchange exchange, URI lbUrl) {
		ServiceInstance instance = chosen(exchange);
		if (instance != null) {
			this.registry.upstream(lbUrl.getHost()).instance(instance).recordSuccess();
		}
	}

	private Mono<Void> failed(ServerWebExchange exchange, GatewayFilterChain chain, URI lbUrl,
			BodyTrackingRequest request, Attempts attempts, Throwable error) {
		String upstreamName = lbUrl.getHost();
		ServiceInstance instance = chosen(exchange);
		if (instance == null) {
			return Mono.error(noInstanceLeft(upstreamName, attempts, error));
		}
		if (!NextUpstreamPolicy.isUpstreamError(error)) {
			return Mono.error(NextUpstreamPolicy.isResponseTimeout(error)
					? new UpstreamTimeoutException(upstreamName, Upstream.authority(instance), error) : error);
		}
		String cause = NextUpstreamPolicy.describe(error);
		this.registry.upstream(upstreamName).instance(instance).recordFailure(this.registry.now(), cause);
		attempts.failed(instance, error);
		logger.warn("upstream '" + upstreamName + "' instance " + attempts.lastInstance() + ": " + cause + " while "
				+ request.getMethod() + " " + request.getURI().getRawPath());
		if (!NextUpstreamPolicy.mayRetry(error, request.getMethod(), request.bodyStarted())) {
			return Mono.error(unavailable(upstreamName, attempts));
		}
		ServerWebExchangeUtils.reset(exchange);
		exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, lbUrl);
		return attempt(exchange, chain, lbUrl, request, attempts);
	}

	private static Throwable noInstanceLeft(String upstream, Attempts attempts, Throwable error) {
		// The balancer found no untried instance: every one failed (502), or there were none at all (503).
		if (error instanceof NotFoundException && attempts.any()) {
			return unavailable(upstream, attempts);
		}
		return error;
	}

	private static UpstreamUnavailableException unavailable(String upstream, Attempts attempts) {
		return new UpstreamUnavailableException(upstream, NextUpstreamPolicy.describe(attempts.lastError())
				+ " (last tried " + attempts.lastInstance() + ")", attempts.lastError());
	}

	private static ServiceInstance chosen(ServerWebExchange exchange) {
		Response<ServiceInstance> response = exchange.getAttribute(GATEWAY_LOADBALANCER_RESPONSE_ATTR);
		return (response != null && response.hasServer()) ? response.getServer() : null;
	}

}
