package io.portao.proxy;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import io.portao.accesslog.AccessLog;
import io.portao.framework.LeanLoadBalancerClientFilter;
import io.portao.headers.LaneHeaders;
import io.portao.headers.TrustedProxyAddresses;
import io.portao.lane.LaneConfiguration;
import io.portao.lane.LaneFallback;
import io.portao.lane.LaneRecorder;
import io.portao.stages.RequestStages;
import io.portao.staticfiles.StaticPaths;
import io.portao.upstream.ProxyProperties;
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
	@Order(RequestStages.Lanes.PROXY)
	ProxyLane proxyLane(ApplicationContext context, UpstreamRegistry registry,
			ObjectProvider<LeanLoadBalancerClientFilter> balancers, ObjectProvider<NettyRoutingFilter> routing,
			ObjectProvider<RemoveHopByHopHeadersFilter> hopByHop, TrustedProxyAddresses trustedProxies,
			ObjectProvider<StaticPaths> staticPaths, GatewayProperties gateway, LaneFallback fallback,
			ObjectProvider<AccessLog> accessLog, ProxyProperties proxy, HttpClientProperties httpClient,
			ObjectProvider<HttpClientCustomizer> customizers, ObjectProvider<MeterRegistry> meters) {
		RemoveHopByHopHeadersFilter hop = hopByHop.getIfUnique();
		LeanLoadBalancerClientFilter balancer = balancers.getIfUnique();
		LaneHeaders headers = (hop != null) ? new LaneHeaders(hop) : null;
		UpstreamCall call = (balancer != null && headers != null)
				? UpstreamCall.create(registry, balancer, routing.getIfUnique(), headers, gateway.getStreamingMediaTypes(),
						channels(proxy, httpClient, customizers, meters))
				: null;
		if (call == null) {
			return null;
		}
		return new ProxyLane(call, new LaneAdmission(headers, trustedProxies, staticPaths.getIfAvailable()),
				LaneRecorder.create(context, null), fallback, accessLog.getIfAvailable());
	}

	/**
	 * The lane's own upstream connections, unless {@code portao.proxy.lane.upstream-channels=false} or a
	 * {@code HttpClientCustomizer} other than Portão's may change how the client connects (then the client it
	 * customizes serves every instance).
	 */
	private static UpstreamChannels channels(ProxyProperties proxy, HttpClientProperties httpClient,
			ObjectProvider<HttpClientCustomizer> customizers, ObjectProvider<MeterRegistry> meters) {
		boolean foreign = customizers.stream().anyMatch(customizer -> !customizer.getClass().getName().startsWith("io.portao."));
		if (!proxy.lane().upstreamChannels() || foreign) {
			return null;
		}
		return new UpstreamChannels(httpClient.getPool().getMaxIdleTime(),
				httpClient.getPool().isMetrics() ? meters.getIfAvailable() : null);
	}

}
