package io.portao.framework;

import java.util.List;
import java.util.Set;

import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

import io.portao.stages.RequestStages;

/**
 * nginx forwards the client's headers and adds only those it is told to ({@code proxy_set_header}). Reactor
 * Netty's {@code HttpClient} adds {@code User-Agent: ReactorNetty/<version>} and {@code Accept: *}{@code /*} to
 * any request without them, which would tell the instance something the client never said.
 *
 * <p>As a filter it records, just before the proxy call, which of these the forwarded request lacks (in the
 * Reactor context, since the client has no access to the exchange); as a client customizer it removes them again
 * once Reactor Netty has prepared the request.
 */
public class NoClientDefaultHeaders implements GlobalFilter, HttpClientCustomizer, Ordered {

	/** The headers Reactor Netty's client adds when absent ({@code HttpClientConnect}). */
	static final List<String> CLIENT_DEFAULTS = List.of(HttpHeaders.USER_AGENT, HttpHeaders.ACCEPT);

	private static final Set<String> BOTH = Set.copyOf(CLIENT_DEFAULTS);

	private static final Set<String> AGENT = Set.of(HttpHeaders.USER_AGENT);

	private static final Set<String> ACCEPT = Set.of(HttpHeaders.ACCEPT);

	static final String ABSENT = NoClientDefaultHeaders.class.getName() + ".absent";

	@Override
	public int getOrder() {
		// After every route filter that could add them, right before the proxy call.
		return RequestStages.Gateway.CLIENT_DEFAULT_HEADERS;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		HttpHeaders headers = exchange.getRequest().getHeaders();
		boolean noAgent = !headers.containsHeader(HttpHeaders.USER_AGENT);
		boolean noAccept = !headers.containsHeader(HttpHeaders.ACCEPT);
		if (!noAgent && !noAccept) {
			return chain.filter(exchange);
		}
		Set<String> absent = noAgent ? (noAccept ? BOTH : AGENT) : ACCEPT;
		return chain.filter(exchange).contextWrite(context -> context.put(ABSENT, absent));
	}

	@Override
	public HttpClient customize(HttpClient client) {
		return client.doOnRequest((request, connection) -> {
			Set<String> absent = request.currentContextView().getOrDefault(ABSENT, Set.of());
			absent.forEach(name -> request.requestHeaders().remove(name));
		});
	}

}
