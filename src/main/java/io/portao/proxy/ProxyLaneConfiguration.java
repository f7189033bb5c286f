package io.portao.proxy;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.webflux.autoconfigure.WebFluxProperties;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import io.portao.accesslog.AccessLog;
import io.portao.headers.LaneHeaders;
import io.portao.headers.TrustedProxies;
import io.portao.lane.LaneConfiguration;
import io.portao.lane.LaneFallback;
import io.portao.lane.LaneRecorder;
import io.portao.upstream.LeanLoadBalancerClientFilter;
import io.portao.upstream.UpstreamCall;
import io.portao.upstream.UpstreamRegistry;

/**
 * The proxy lane ({@link ProxyLane}), unless {@code portao.proxy.lane.enabled=false}; its routes are compiled by
 * {@link ProxyLaneRoutes}, which is there with the lane off too (to say so). Without Portão's routing filter, balancer filter or hop-by-hop filter
 * there is no lane at all.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = LaneConfiguration.ENABLED, matchIfMissing = true)
public class ProxyLaneConfiguration {

	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	ProxyLane proxyLane(ApplicationContext context, UpstreamRegistry registry,
			ObjectProvider<LeanLoadBalancerClientFilter> balancers, ObjectProvider<NettyRoutingFilter> routing,
			ObjectProvider<RemoveHopByHopHeadersFilter> hopByHop, TrustedProxies trustedProxies,
			WebFluxProperties webFlux, GatewayProperties gateway, LaneFallback fallback,
			ObjectProvider<AccessLog> accessLog) {
		RemoveHopByHopHeadersFilter hop = hopByHop.getIfUnique();
		LeanLoadBalancerClientFilter balancer = balancers.getIfUnique();
		LaneHeaders headers = (hop != null) ? new LaneHeaders(hop) : null;
		UpstreamCall call = (balancer != null && headers != null)
				? UpstreamCall.create(registry, balancer, routing.getIfUnique(), headers, gateway.getStreamingMediaTypes())
				: null;
		if (call == null) {
			return null;
		}
		return new ProxyLane(call, headers, trustedProxies, staticDirectory(webFlux.getStaticPathPattern()),
				LaneRecorder.create(context, null), fallback, accessLog.getIfAvailable());
	}

	/** {@code /static/**} → {@code /static}; any pattern that is not a directory: everything counts as static. */
	static String staticDirectory(String pattern) {
		if (pattern == null) {
			return null;
		}
		if (pattern.endsWith("/**") && pattern.length() > 3 && pattern.indexOf('*') == pattern.length() - 2 && pattern.indexOf('{') < 0) {
			return pattern.substring(0, pattern.length() - 3);
		}
		return "";
	}

}
