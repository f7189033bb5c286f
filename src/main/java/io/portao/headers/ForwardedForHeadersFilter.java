package io.portao.headers;

import java.net.InetSocketAddress;
import java.util.List;

import io.netty.util.NetUtil;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

import io.portao.stages.RequestStages;

/**
 * nginx {@code proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for}, but only believing the list from a
 * trusted proxy: from a trusted peer the client's list is forwarded with the peer appended; from any other peer
 * the list is just the peer. Only when {@code portao.trusted-proxies} or {@code portao.send-x-forwarded-for} is
 * set (the reference nginx sends no {@code X-Forwarded-For}, so neither does the gateway by default); Spring Cloud
 * Gateway's own forwarded-header filters stay in their secure default (client-sent {@code X-Forwarded-*} and
 * {@code Forwarded} stripped, CVE-2025-41235), which is why the client's list is read from the original request.
 */
public record ForwardedForHeadersFilter(TrustedProxyAddresses trusted,
		boolean always) implements HttpHeadersFilter, Ordered {

	@Override
	public int getOrder() {
		return RequestStages.Headers.X_FORWARDED_FOR;
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		if (!this.trusted.any() && !this.always) {
			return input;
		}
		ServerHttpRequest request = exchange.getRequest();
		InetSocketAddress remote = request.getRemoteAddress();
		HttpHeaders headers = new HttpHeaders();
		headers.addAll(input);
		if (remote == null || remote.getAddress() == null) {
			headers.remove(TrustedProxyAddresses.X_FORWARDED_FOR);
			return headers;
		}
		String peer = NetUtil.toAddressString(remote.getAddress());
		List<String> sent = request.getHeaders().get(TrustedProxyAddresses.X_FORWARDED_FOR);
		boolean believed = sent != null && this.trusted.trusts(remote.getAddress().getAddress());
		headers.set(TrustedProxyAddresses.X_FORWARDED_FOR, believed ? String.join(", ", sent) + ", " + peer : peer);
		return headers;
	}

	@Override
	public boolean supports(Type type) {
		return type == Type.REQUEST;
	}

}
