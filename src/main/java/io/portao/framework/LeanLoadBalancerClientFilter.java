package io.portao.framework;

import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycleValidator;
import org.springframework.cloud.client.loadbalancer.LoadBalancerProperties;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.ResponseData;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.gateway.config.GatewayLoadBalancerProperties;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.support.DelegatingServiceInstance;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.http.HttpCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;

import io.portao.upstream.InstanceAttemptFilter;
import io.portao.upstream.failover.NextUpstreamFilter;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_SCHEME_PREFIX_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.addOriginalRequestUrl;

/**
 * Spring Cloud Gateway's {@link ReactiveLoadBalancerClientFilter} (5.0.4) for {@code lb://} routes, without its
 * per-request look-ups. Spring's filter asks the load-balancer client factory for the service's balancer, its
 * {@link LoadBalancerLifecycle} beans and its hint on every request (bean-factory look-ups across the child and
 * parent contexts) and copies the request's cookies into the balancer's {@link RequestData}; with its lifecycle
 * callbacks that was 7.4 % of the event loops' samples (docs/performance.md, "Profile"). Here the three are
 * resolved once per service id (cleared when the environment changes, as the hint is a property), the cookies are
 * copied only if a supplier or lifecycle asks for them, and no lifecycle work is done when the service has none
 * (the default: Spring Cloud's only one, the Micrometer stats lifecycle, is off unless
 * {@code spring.cloud.loadbalancer.stats.micrometer.enabled}).
 *
 * <p>Everything else is Spring's filter's: the {@code lb:} scheme and {@code lb:<scheme>} prefix, the original URL
 * kept, the instance's scheme ({@code https} when it is secure, the prefix's otherwise),
 * {@code LoadBalancerUriTools.reconstructURI}, {@code GATEWAY_REQUEST_URL_ATTR} and
 * {@code GATEWAY_LOADBALANCER_RESPONSE_ATTR}, the {@link NotFoundException} (503, or 404 with
 * {@code loadbalancer.use404}) when no instance is left, and the lifecycle callbacks in the same order. It extends
 * Spring's class so that Spring's bean, which is {@code @ConditionalOnMissingBean}, is not created and its
 * sticky-session cookie filter (conditional on that type) still is; its order is Spring's, between
 * {@link NextUpstreamFilter} and {@link InstanceAttemptFilter}.
 */
public class LeanLoadBalancerClientFilter extends ReactiveLoadBalancerClientFilter
		implements ApplicationListener<EnvironmentChangeEvent> {

	private final LoadBalancerClientFactory clientFactory;

	private final GatewayLoadBalancerProperties properties;

	private final Map<String, Service> services = new ConcurrentHashMap<>();

	public LeanLoadBalancerClientFilter(LoadBalancerClientFactory clientFactory,
			GatewayLoadBalancerProperties properties) {
		super(clientFactory, properties);
		this.clientFactory = clientFactory;
		this.properties = properties;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
		String schemePrefix = exchange.getAttribute(GATEWAY_SCHEME_PREFIX_ATTR);
		if (url == null || (!"lb".equals(url.getScheme()) && !"lb".equals(schemePrefix))) {
			return chain.filter(exchange);
		}
		addOriginalRequestUrl(exchange, url);
		String serviceId = url.getHost();
		Service service = service(serviceId);
		if (service == null) {
			return Mono.error(new NotFoundException("No loadbalancer available for " + serviceId));
		}
		DefaultRequest<RequestDataContext> lbRequest = new DefaultRequest<>(
				new RequestDataContext(new LazyCookiesRequestData(exchange), service.hint));
		if (service.lifecycles.isEmpty()) {
			return service.balancer.choose(lbRequest)
				.doOnNext(response -> chosen(exchange, url, schemePrefix, response))
				.then(chain.filter(exchange));
		}
		return withLifecycles(exchange, chain, service, lbRequest, url, schemePrefix);
	}

	/** Spring's filter's flow, callbacks included, for a service that has lifecycle beans. */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	private Mono<Void> withLifecycles(ServerWebExchange exchange, GatewayFilterChain chain, Service service,
			DefaultRequest<RequestDataContext> lbRequest, URI url, String schemePrefix) {
		Set<LoadBalancerLifecycle> lifecycles = service.lifecycles;
		lifecycles.forEach(lifecycle -> lifecycle.onStart(lbRequest));
		return service.balancer.choose(lbRequest).doOnNext(response -> {
			if (!response.hasServer()) {
				lifecycles.forEach(lifecycle -> lifecycle
					.onComplete(new CompletionContext<>(CompletionContext.Status.DISCARD, lbRequest, response)));
			}
			chosen(exchange, url, schemePrefix, response);
			lifecycles.forEach(lifecycle -> lifecycle.onStartRequest(lbRequest, response));
		})
			.then(chain.filter(exchange))
			.doOnError(error -> lifecycles.forEach(lifecycle -> lifecycle.onComplete(new CompletionContext<>(
					CompletionContext.Status.FAILED, error, lbRequest,
					exchange.getAttribute(GATEWAY_LOADBALANCER_RESPONSE_ATTR)))))
			.doOnSuccess(done -> lifecycles.forEach(lifecycle -> lifecycle.onComplete(new CompletionContext<>(
					CompletionContext.Status.SUCCESS, lbRequest, exchange.getAttribute(GATEWAY_LOADBALANCER_RESPONSE_ATTR),
					new ResponseData(exchange.getResponse(),
							new RequestData(exchange.getRequest(), exchange.getAttributes()))))));
	}

	/** The chosen instance becomes the request URL, or {@link NotFoundException} when there is none. */
	private void chosen(ServerWebExchange exchange, URI url, String schemePrefix, Response<ServiceInstance> response) {
		if (!response.hasServer()) {
			throw NotFoundException.create(this.properties.isUse404(), "Unable to find instance for " + url.getHost());
		}
		ServiceInstance instance = response.getServer();
		// lb:<scheme> wins over the instance's own scheme, as in Spring's filter.
		String scheme = (schemePrefix != null) ? url.getScheme() : (instance.isSecure() ? "https" : "http");
		URI requestUrl = reconstructURI(new DelegatingServiceInstance(instance, scheme), exchange.getRequest().getURI());
		exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, requestUrl);
		exchange.getAttributes().put(GATEWAY_LOADBALANCER_RESPONSE_ATTR, response);
	}

	/** Resolved once per service id; not cached while the service's context has no balancer. */
	public Service service(String serviceId) {
		Service service = this.services.get(serviceId);
		if (service != null) {
			return service;
		}
		ReactorServiceInstanceLoadBalancer balancer = this.clientFactory.getInstance(serviceId,
				ReactorServiceInstanceLoadBalancer.class);
		if (balancer == null) {
			return null;
		}
		Set<LoadBalancerLifecycle> lifecycles = LoadBalancerLifecycleValidator.getSupportedLifecycleProcessors(
				this.clientFactory.getInstances(serviceId, LoadBalancerLifecycle.class), RequestDataContext.class,
				ResponseData.class, ServiceInstance.class);
		service = new Service(balancer, lifecycles, hint(serviceId));
		this.services.put(serviceId, service);
		return service;
	}

	/** 404 rather than 503 when no instance is left ({@code loadbalancer.use404}). */
	public boolean use404() {
		return this.properties.isUse404();
	}

	private String hint(String serviceId) {
		LoadBalancerProperties properties = this.clientFactory.getProperties(serviceId);
		Map<String, String> hints = properties.getHint();
		String hint = hints.get(serviceId);
		return (hint != null) ? hint : hints.getOrDefault("default", "default");
	}

	/** A refreshed environment may change a hint: the next request resolves each service again. */
	@Override
	public void onApplicationEvent(EnvironmentChangeEvent event) {
		this.services.clear();
	}

	public record Service(ReactorServiceInstanceLoadBalancer balancer, Set<LoadBalancerLifecycle> lifecycles,
			String hint) {

	}

	/**
	 * Spring's {@code RequestData} of the exchange, with the request's own (read-only) headers and its live
	 * attributes as Spring's has them, and the cookies copied only when asked for: Portão's balancer reads the
	 * attributes only, a sticky-session supplier or a lifecycle bean may read the cookies.
	 */
	static final class LazyCookiesRequestData extends RequestData {

		private final ServerHttpRequest request;

		private MultiValueMap<String, String> cookies;

		LazyCookiesRequestData(ServerWebExchange exchange) {
			super(exchange.getRequest().getMethod(), exchange.getRequest().getURI(), exchange.getRequest().getHeaders(),
					null, exchange.getAttributes());
			this.request = exchange.getRequest();
		}

		@Override
		public MultiValueMap<String, String> getCookies() {
			MultiValueMap<String, String> copied = this.cookies;
			if (copied == null) {
				copied = new LinkedMultiValueMap<>();
				// As Spring's RequestData: one value per name, the last one.
				for (List<HttpCookie> values : this.request.getCookies().values()) {
					for (HttpCookie cookie : values) {
						copied.put(cookie.getName(), Collections.singletonList(cookie.getValue()));
					}
				}
				this.cookies = copied;
			}
			return copied;
		}

	}

}
