package io.portao.headers;

import java.net.URI;
import java.util.Set;

import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

import io.portao.stages.RequestStages;

/**
 * nginx {@code proxy_pass http://bapis;} (no URI part) sends the request target exactly as the client sent it.
 * Spring Cloud Gateway rebuilds it with {@code UriComponentsBuilder} ({@code RouteToRequestUrlFilter}, then the
 * load balancer), which merges {@code //}, drops an empty query ({@code /p?}) and empty query parameters
 * ({@code a&&b}). This puts the client's raw target back on the URL of the chosen instance.
 *
 * <p>Only when no route filter changed the path or query (the request's URI still matches the raw target):
 * otherwise the gateway's rewritten URL stands. Runs after the balancer, on every attempt.
 */
@Order(RequestStages.Gateway.RAW_REQUEST_TARGET)
public class RawRequestTargetFilter implements GlobalFilter {

	private static final Set<String> SCHEMES = Set.of("http", "https", "ws", "wss");

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
		if (url == null || !SCHEMES.contains(url.getScheme())) {
			return chain.filter(exchange);
		}
		String target = unchangedRawTarget(exchange.getRequest());
		// Most targets survive the gateway's rebuilding intact: then the URL is left as it is, not copied.
		if (target != null && !sameTarget(target, url.getRawPath(), url.getRawQuery())) {
			URI raw = withTarget(url, target);
			if (raw != null) {
				exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, raw);
			}
		}
		return chain.filter(exchange);
	}

	/**
	 * The request target as the client sent it, byte for byte (Reactor Netty's, not {@code java.net.URI}'s
	 * re-encoding), or null when the request did not come from Reactor Netty.
	 */
	public static String received(ServerHttpRequest request) {
		return (ServerHttpRequestDecorator.getNativeRequest(request) instanceof HttpServerRequest netty) ? netty.uri()
				: null;
	}

	/** The request target as received, or null if it is not origin-form or a filter changed path or query. */
	static String unchangedRawTarget(ServerHttpRequest request) {
		String target = received(request);
		if (target == null || !target.startsWith("/")) {
			return null;
		}
		URI current = request.getURI();
		return sameTarget(target, current.getRawPath(), current.getRawQuery()) ? target : null;
	}

	/** Whether {@code target} is {@code rawPath[?rawQuery]}, compared without building the string per request. */
	static boolean sameTarget(String target, String rawPath, String rawQuery) {
		if (rawPath == null || !target.startsWith(rawPath)) {
			return false;
		}
		int pathEnd = rawPath.length();
		if (rawQuery == null) {
			return target.length() == pathEnd;
		}
		return target.length() == pathEnd + 1 + rawQuery.length() && target.charAt(pathEnd) == '?'
				&& target.endsWith(rawQuery);
	}

	private static URI withTarget(URI url, String target) {
		try {
			return new URI(url.getScheme() + "://" + url.getRawAuthority() + target);
		}
		catch (java.net.URISyntaxException ex) {
			// Not expressible as a java.net.URI: keep the gateway's (re-encoded) URL rather than fail.
			return null;
		}
	}

}
