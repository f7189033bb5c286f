package io.portao.headers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The request headers the reference nginx sets on every proxied request. Client-sent {@code X-Forwarded-*} and
 * {@code Forwarded} are stripped by Spring Cloud Gateway itself while
 * {@code spring.cloud.gateway.server.webflux.trusted-proxies} is unset (CVE-2025-41235), which stays so:
 * {@code portao.trusted-proxies} (CIDR blocks, not a regex) decides the client address ({@link ClientAddress})
 * and, when set, {@code X-Forwarded-For}.
 */
@Configuration(proxyBeanMethods = false)
@Import({ PreserveHostFilter.class, TrustedProxiesReload.class, ClientAddress.class, RealIpHeadersFilter.class,
		RawRequestTargetFilter.class })
public class ProxyHeadersConfiguration {

	@Bean
	TrustedProxyAddresses trustedProxies(TrustedProxiesProperties properties) {
		return new TrustedProxyAddresses(properties.blocks());
	}

	@Bean
	ForwardedForHeadersFilter forwardedForHeadersFilter(TrustedProxyAddresses trustedProxies,
			TrustedProxiesProperties properties) {
		return new ForwardedForHeadersFilter(trustedProxies, properties.sendXForwardedFor());
	}

}
