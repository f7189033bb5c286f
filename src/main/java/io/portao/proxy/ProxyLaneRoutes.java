package io.portao.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.gateway.config.GatewayMetricsProperties;
import org.springframework.cloud.gateway.event.RefreshRoutesResultEvent;
import org.springframework.cloud.gateway.filter.GatewayMetricsFilter;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.support.tagsprovider.GatewayTagsProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.web.server.WebFilter;

import io.portao.framework.CopyOnlyWhenNeeded;
import io.portao.framework.EventLoopTimeoutRoutingFilter;
import io.portao.framework.LeanLoadBalancerClientFilter;
import io.portao.framework.NoClientDefaultHeaders;
import io.portao.headers.ClientAddress;
import io.portao.headers.ForwardedForHeadersFilter;
import io.portao.headers.PreserveHostFilter;
import io.portao.headers.RawRequestTargetFilter;
import io.portao.headers.RealIpHeadersFilter;
import io.portao.headers.TrustedProxiesProperties;
import io.portao.lane.LaneConfiguration;
import io.portao.limits.RequestTargetFilter;
import io.portao.upstream.AttemptCompletionWebFilter;
import io.portao.upstream.InstanceAttemptFilter;
import io.portao.upstream.failover.NextUpstreamFilter;

/**
 * Compiles the gateway's routes for the {@link ProxyLane} when they are (re)loaded, and says once per change which
 * route takes which path and why. Whatever the lane would not do exactly as the gateway path sends every route to
 * the gateway: a global filter, web filter, header filter or metrics tags provider bean that is not one of Spring
 * Cloud Gateway's defaults or Portão's own; Actuator on the public port; a WebFlux base path; sticky-session
 * cookies; {@code X-Forwarded-For} being sent.
 */
public final class ProxyLaneRoutes implements ApplicationListener<ApplicationEvent> {

	private static final Log logger = LogFactory.getLog(ProxyLaneRoutes.class);

	/** The beans the lane stands in for: Spring Cloud Gateway 5.0's defaults and Portão's. */
	private static final Set<String> KNOWN_GLOBAL_FILTERS = Set.of(
			"org.springframework.cloud.gateway.filter.RemoveCachedBodyFilter",
			"org.springframework.cloud.gateway.filter.AdaptCachedBodyGlobalFilter",
			"org.springframework.cloud.gateway.filter.NettyWriteResponseFilter",
			"org.springframework.cloud.gateway.filter.ForwardPathFilter",
			"org.springframework.cloud.gateway.filter.GatewayMetricsFilter",
			"org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter",
			"org.springframework.cloud.gateway.filter.LoadBalancerServiceInstanceCookieFilter",
			"org.springframework.cloud.gateway.filter.WebsocketRoutingFilter",
			"org.springframework.cloud.gateway.filter.ForwardRoutingFilter",
			LeanLoadBalancerClientFilter.class.getName(), EventLoopTimeoutRoutingFilter.class.getName(),
			NextUpstreamFilter.class.getName(), InstanceAttemptFilter.class.getName(),
			PreserveHostFilter.class.getName(), RawRequestTargetFilter.class.getName(),
			NoClientDefaultHeaders.class.getName(), "io.portao.accesslog.UpstreamAttemptLogFilter");

	private static final Set<String> KNOWN_WEB_FILTERS = Set.of(
			"org.springframework.cloud.gateway.filter.WeightCalculatorWebFilter", ClientAddress.class.getName(),
			RequestTargetFilter.class.getName(), AttemptCompletionWebFilter.class.getName(),
			"io.portao.accesslog.AccessLogExchangeFilter");

	private static final Set<String> KNOWN_HEADER_FILTERS = Set.of(
			CopyOnlyWhenNeeded.class.getName() + "$HopByHop", CopyOnlyWhenNeeded.class.getName() + "$Forwarded",
			CopyOnlyWhenNeeded.class.getName() + "$XForwarded", CopyOnlyWhenNeeded.class.getName() + "$Grpc",
			"org.springframework.cloud.gateway.filter.headers.GRPCResponseHeadersFilter",
			"org.springframework.cloud.gateway.filter.headers.TransferEncodingNormalizationHeadersFilter",
			RealIpHeadersFilter.class.getName(), ForwardedForHeadersFilter.class.getName());

	private static final Set<String> KNOWN_TAGS_PROVIDERS = Set.of(
			"org.springframework.cloud.gateway.support.tagsprovider.GatewayHttpTagsProvider",
			"org.springframework.cloud.gateway.support.tagsprovider.GatewayRouteTagsProvider",
			"org.springframework.cloud.gateway.support.tagsprovider.PropertiesTagsProvider");

	private final ApplicationContext context;

	private final ObjectProvider<ProxyLane> lane;

	private final ObjectProvider<RouteLocator> routes;

	private final ObjectProvider<RouteDefinitionLocator> definitions;

	private final TrustedProxiesProperties trustedProxies;

	private volatile List<String> told = List.of();

	private volatile LaneRoutes compiled = LaneRoutes.NONE;

	public ProxyLaneRoutes(ApplicationContext context, ObjectProvider<ProxyLane> lane, ObjectProvider<RouteLocator> routes,
			ObjectProvider<RouteDefinitionLocator> definitions, TrustedProxiesProperties trustedProxies) {
		this.context = context;
		this.lane = lane;
		this.routes = routes;
		this.definitions = definitions;
		this.trustedProxies = trustedProxies;
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof RefreshRoutesResultEvent || (event instanceof ApplicationReadyEvent ready
				&& ready.getApplicationContext() == this.context)) {
			compile();
		}
	}

	/** Each route's path: {@code lane}, or {@code gateway: <reason>}, in the gateway's order. */
	public Map<String, String> paths() {
		return this.compiled.routes()
			.stream()
			.collect(Collectors.toMap(LaneRoute::id, ProxyLaneRoutes::path, (a, b) -> a, java.util.LinkedHashMap::new));
	}

	private static String path(LaneRoute route) {
		return route.onLane() ? "lane" : "gateway: " + route.reason();
	}

	private void compile() {
		ProxyLane current = this.lane.getIfAvailable();
		RouteLocator locator = this.routes.getIfAvailable();
		RouteDefinitionLocator definitionLocator = this.definitions.getIfAvailable();
		if (locator == null || definitionLocator == null) {
			return;
		}
		String reasonForAll = (current != null) ? reasonForAll() : noLane();
		Function<Route, GatewayRequestsTimer> timers = timers();
		Mono.zip(locator.getRoutes().collectList(),
				definitionLocator.getRouteDefinitions().collectMap(RouteDefinition::getId))
			.subscribe(loaded -> {
				LaneRoutes routes = LaneRoutes.compile(loaded.getT1(), loaded.getT2(), reasonForAll,
						(current != null) ? current.call()::target : route -> null, timers);
				this.compiled = routes;
				if (current != null) {
					current.routes(routes);
				}
				tell(routes);
			}, error -> {
				this.compiled = LaneRoutes.NONE;
				if (current != null) {
					current.routes(LaneRoutes.NONE);
				}
				logger.warn("Proxy lane: routes not compiled, every request takes the gateway path", error);
			});
	}

	private String noLane() {
		return this.context.getEnvironment().getProperty(LaneConfiguration.ENABLED, Boolean.class, true)
				? "Portão's routing, balancer or hop-by-hop header filter is replaced"
				: "the lane is off (" + LaneConfiguration.ENABLED + "=false)";
	}

	private void tell(LaneRoutes compiled) {
		List<String> lines = new ArrayList<>();
		for (LaneRoute route : compiled.routes()) {
			lines.add("route '" + route.id() + "': " + (route.onLane() ? "proxy lane"
					: "gateway path (" + route.reason() + ")"));
		}
		if (!lines.equals(this.told)) {
			this.told = lines;
			lines.forEach(logger::info);
		}
	}

	/** Why no route can be on the lane, or {@code null}. */
	@Nullable
	String reasonForAll() {
		Environment environment = this.context.getEnvironment();
		String unknown = unknown(GlobalFilter.class, KNOWN_GLOBAL_FILTERS);
		if (unknown != null) {
			return "global filter " + unknown;
		}
		unknown = unknown(WebFilter.class, KNOWN_WEB_FILTERS);
		if (unknown != null) {
			return "web filter " + unknown;
		}
		unknown = unknown(HttpHeadersFilter.class, KNOWN_HEADER_FILTERS);
		if (unknown != null) {
			return "headers filter " + unknown;
		}
		unknown = unknown(GatewayTagsProvider.class, KNOWN_TAGS_PROVIDERS);
		if (unknown != null) {
			return "metrics tags provider " + unknown;
		}
		String serverPort = environment.getProperty("server.port", "8080");
		String managementPort = environment.getProperty("management.server.port");
		if (managementPort == null || (managementPort.equals(serverPort) && !"0".equals(managementPort))) {
			return "Actuator on the public port (management.server.port)";
		}
		if (environment.getProperty("spring.webflux.base-path") != null) {
			return "spring.webflux.base-path is set";
		}
		if (environment.getProperty("spring.cloud.loadbalancer.sticky-session.add-service-instance-cookie",
				Boolean.class, false)) {
			return "sticky-session cookies (spring.cloud.loadbalancer.sticky-session.add-service-instance-cookie)";
		}
		if (!this.trustedProxies.trustedProxies().isEmpty() || this.trustedProxies.sendXForwardedFor()) {
			return "X-Forwarded-For is sent (portao.trusted-proxies, portao.send-x-forwarded-for)";
		}
		return null;
	}

	@Nullable
	private String unknown(Class<?> type, Set<String> known) {
		for (Object bean : this.context.getBeansOfType(type).values()) {
			String name = bean.getClass().getName();
			if (!known.contains(name)) {
				return name;
			}
		}
		return null;
	}

	/** The route's timers, when Spring Cloud Gateway's metrics filter records them; else none. */
	private Function<Route, GatewayRequestsTimer> timers() {
		MeterRegistry registry = this.context.getBeanProvider(MeterRegistry.class).getIfUnique();
		GatewayMetricsProperties properties = this.context.getBeanProvider(GatewayMetricsProperties.class)
			.getIfAvailable();
		if (registry == null || properties == null
				|| this.context.getBeanNamesForType(GatewayMetricsFilter.class).length == 0) {
			return route -> null;
		}
		return route -> new GatewayRequestsTimer(registry, properties.getPrefix(), route.getId(),
				Objects.toString(route.getUri()), properties.getTags());
	}

}
