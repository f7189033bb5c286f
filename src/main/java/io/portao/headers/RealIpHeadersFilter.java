package io.portao.headers;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

import io.portao.framework.UniqueNameHeaders;
import io.portao.stages.RequestStages;

/**
 * nginx {@code proxy_set_header X-Real-IP $remote_addr} and {@code proxy_set_header X-Scheme $scheme}: both are
 * set, replacing whatever the client sent, since a client could otherwise claim any address. The address is
 * {@link ClientAddress}'s: the peer, or the client behind a trusted proxy (nginx realip module).
 */
public class RealIpHeadersFilter implements HttpHeadersFilter, Ordered {

	/** The client's address: the gateway's peer, or the client behind a trusted proxy. */
	public static final String X_REAL_IP = "X-Real-IP";

	/** {@code http} or {@code https}, as the client reached the gateway. */
	public static final String X_SCHEME = "X-Scheme";

	@Override
	public int getOrder() {
		return RequestStages.Headers.REAL_IP;
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		HttpHeaders headers = writable(input, request);
		String client = ClientAddress.of(exchange);
		if (client != null) {
			headers.set(X_REAL_IP, client);
		}
		else {
			headers.remove(X_REAL_IP);
		}
		headers.set(X_SCHEME, (request.getSslInfo() != null) ? "https" : "http");
		return headers;
	}

	/**
	 * The input itself when an earlier filter of the chain already made a private copy (one that
	 * changed something), else a copy: each full copy lower-cases every header name
	 * again, the largest single allocation of a proxied request (docs/performance.md).
	 */
	private static HttpHeaders writable(HttpHeaders input, ServerHttpRequest request) {
		if (input != request.getHeaders()) {
			try {
				input.remove(X_SCHEME);
				return input;
			}
			catch (UnsupportedOperationException ex) {
				// a read-only view from some other filter: copy, as below
			}
		}
		// copyOf walks the backing map's own keys; addAll would first copy every name into a case-insensitive set.
		return new UniqueNameHeaders(HttpHeaders.copyOf(input));
	}

	@Override
	public boolean supports(Type type) {
		return type == Type.REQUEST;
	}

}
