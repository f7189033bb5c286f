package io.portao.headers;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import io.portao.config.InvalidConfigurationException;

/**
 * Which peers may tell the gateway who the client is.
 *
 * @param trustedProxies Address blocks (CIDR, IPv4 or IPv6, or single addresses) of the proxies in front of the
 * gateway, e.g. a cloud load balancer's subnet (nginx {@code set_real_ip_from}). When the peer is one of them,
 * the client address is read from {@code X-Forwarded-For}, right to left, skipping trusted addresses (nginx
 * {@code real_ip_header X-Forwarded-For; real_ip_recursive on;}), and {@code X-Forwarded-For} is forwarded with
 * the peer appended; from any other peer, {@code X-Forwarded-For} is replaced by the peer's address. Empty (the
 * default): nobody is trusted, and, as in the reference nginx configuration, no {@code X-Forwarded-For} is sent
 * at all. Client-sent {@code X-Real-IP}, {@code Forwarded} and other {@code X-Forwarded-*} are never believed.
 * @param sendXForwardedFor whether {@code X-Forwarded-For} is sent even when no proxy is trusted (default false):
 * then it is the peer's address, a client-sent list being dropped (nginx's {@code proxy_set_header
 * X-Forwarded-For $proxy_add_x_forwarded_for} would append to whatever the client sent, which no application
 * can believe); behind {@code trusted-proxies} it is sent in any case.
 */
@ConfigurationProperties(TrustedProxiesProperties.PREFIX)
public record TrustedProxiesProperties(@DefaultValue List<String> trustedProxies,
		@DefaultValue("false") boolean sendXForwardedFor) {

	/** The prefix of these properties. */
	public static final String PREFIX = "portao";

	public TrustedProxiesProperties {
		trustedProxies = List.copyOf(trustedProxies);
		for (int i = 0; i < trustedProxies.size(); i++) {
			if (Cidr.parse(trustedProxies.get(i)) == null) {
				throw new InvalidConfigurationException(PREFIX + ".trusted-proxies[" + i + "]", trustedProxies.get(i),
						"an IPv4 or IPv6 address or CIDR block, e.g. 10.0.0.0/8 or fd00::/8");
			}
		}
	}

	/** The blocks, parsed. */
	List<Cidr> blocks() {
		return this.trustedProxies.stream().map(Cidr::parse).toList();
	}

}
