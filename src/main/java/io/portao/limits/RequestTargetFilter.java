package io.portao.limits;

import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.portao.headers.RawRequestTargetFilter;
import io.portao.stages.RequestStages;

/**
 * Applies {@link RequestTargetRules} once, before the static file lookup ({@code /static/**}) and before any
 * route: an ambiguous path gets {@code 400} from the gateway and reaches neither the disk nor an instance.
 */
@Order(RequestStages.Web.REQUEST_TARGET)
public class RequestTargetFilter implements WebFilter {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String target = rawTarget(exchange.getRequest());
		if (target == null || !RequestTargetRules.refused(target)) {
			return chain.filter(exchange);
		}
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(HttpStatus.BAD_REQUEST);
		response.getHeaders().setContentLength(0);
		response.getHeaders().setConnection("close");
		return response.setComplete();
	}

	private static String rawTarget(ServerHttpRequest request) {
		String received = RawRequestTargetFilter.received(request);
		return (received != null) ? received : request.getURI().getRawPath();
	}

}
