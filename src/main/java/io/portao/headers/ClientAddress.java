package io.portao.headers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import io.netty.util.NetUtil;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.portao.stages.RequestStages;

/**
 * The real client address of each request (nginx {@code $remote_addr} after the realip module), resolved once,
 * before static files and routing, and kept as the exchange attribute {@link #ATTRIBUTE}: {@code X-Real-IP}, the
 * access log and metrics all read it with {@link #of(ServerWebExchange)}.
 *
 * <p>It is the TCP peer, unless the peer is a trusted proxy ({@code portao.trusted-proxies}): then it is the
 * rightmost {@code X-Forwarded-For} address that is not itself a trusted proxy (nginx
 * {@code real_ip_recursive on}); if every address is trusted, the leftmost; an entry that is not an IP address
 * stops the walk at the last good one, as nginx's {@code ngx_http_get_forwarded_addr} does. Written in RFC 5952
 * text ({@code ::1}, not Java's {@code 0:0:0:0:0:0:0:1}).
 */
@Order(RequestStages.Web.CLIENT_ADDRESS)
public class ClientAddress implements WebFilter {

	/** The exchange attribute holding the client address ({@code String}, RFC 5952 text). */
	public static final String ATTRIBUTE = ClientAddress.class.getName();

	private final TrustedProxyAddresses trusted;

	public ClientAddress(TrustedProxyAddresses trusted) {
		this.trusted = trusted;
	}

	/**
	 * The client address of {@code exchange}: the resolved one once this filter ran, otherwise the TCP peer's;
	 * {@code null} if there is no peer (for example a Unix domain socket).
	 */
	public static String of(ServerWebExchange exchange) {
		String resolved = exchange.getAttribute(ATTRIBUTE);
		return (resolved != null) ? resolved : peer(exchange.getRequest());
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String client = resolve(exchange.getRequest());
		if (client != null) {
			exchange.getAttributes().put(ATTRIBUTE, client);
		}
		return chain.filter(exchange);
	}

	String resolve(ServerHttpRequest request) {
		InetSocketAddress remote = request.getRemoteAddress();
		InetAddress peer = (remote != null) ? remote.getAddress() : null;
		if (peer == null) {
			return null;
		}
		if (!this.trusted.trusts(peer.getAddress())) {
			return NetUtil.toAddressString(peer);
		}
		List<String> forwardedFor = request.getHeaders().get(TrustedProxyAddresses.X_FORWARDED_FOR);
		return this.trusted.clientBehind(NetUtil.toAddressString(peer), forwardedFor);
	}

	private static String peer(ServerHttpRequest request) {
		InetSocketAddress remote = request.getRemoteAddress();
		return (remote != null && remote.getAddress() != null) ? NetUtil.toAddressString(remote.getAddress()) : null;
	}

}
