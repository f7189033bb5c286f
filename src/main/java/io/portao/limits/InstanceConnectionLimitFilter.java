package io.portao.limits;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

import io.portao.stages.RequestStages;

/**
 * nginx {@code server ... max_conns=N}: at most {@code N} requests in flight to one instance; one more gets
 * {@code 503} at once rather than waiting in the HTTP client's connection pool (whose acquire timeout is 45 s) or
 * piling onto an instance that is already saturated. Counted per instance authority ({@code host:port}), after
 * the balancer has chosen it; only registered when {@code portao.limits.max-connections-per-instance} is set, so
 * the default costs nothing per request.
 */
@Order(RequestStages.Gateway.INSTANCE_CONNECTION_LIMIT)
public class InstanceConnectionLimitFilter implements GlobalFilter {

	private final int max;

	private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

	public InstanceConnectionLimitFilter(int max) {
		this.max = max;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
		if (url == null || url.getRawAuthority() == null) {
			return chain.filter(exchange);
		}
		String authority = url.getRawAuthority();
		AtomicInteger count = this.inFlight.computeIfAbsent(authority, key -> new AtomicInteger());
		if (count.incrementAndGet() > this.max) {
			count.decrementAndGet();
			return refuse(exchange.getResponse(), authority);
		}
		return chain.filter(exchange).doFinally(signal -> count.decrementAndGet());
	}

	/** Requests in flight to {@code authority} now (for tests and observers). */
	int inFlight(String authority) {
		AtomicInteger count = this.inFlight.get(authority);
		return (count != null) ? count.get() : 0;
	}

	private Mono<Void> refuse(ServerHttpResponse response, String authority) {
		byte[] body = ("503 Service Unavailable: instance " + authority + " has " + this.max
				+ " requests in flight (portao.limits.max-connections-per-instance)\n").getBytes(StandardCharsets.UTF_8);
		response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
		response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
		response.getHeaders().setContentLength(body.length);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

}
