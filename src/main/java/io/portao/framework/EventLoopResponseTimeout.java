package io.portao.framework;

import java.util.List;

import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;

import io.portao.upstream.ProxyProperties;

/**
 * Puts {@link EventLoopTimeoutRoutingFilter} in place of Spring Cloud Gateway's {@link NettyRoutingFilter} bean:
 * Spring's {@code routingFilter} is not {@code @ConditionalOnMissingBean} (5.0.4), and turning it off by property
 * would let a configuration that turns it back on route every request twice. The replacement is built from the
 * beans Spring's was built from (resolved when it is post-processed, so nothing is created early), and keeps its
 * type and order.
 */
class EventLoopResponseTimeout implements BeanPostProcessor {

	private final ObjectProvider<HttpClient> httpClient;

	private final ObjectProvider<List<HttpHeadersFilter>> headersFilters;

	private final ObjectProvider<HttpClientProperties> properties;

	private final ObjectProvider<ProxyProperties> proxy;

	EventLoopResponseTimeout(ObjectProvider<HttpClient> httpClient,
			ObjectProvider<List<HttpHeadersFilter>> headersFilters, ObjectProvider<HttpClientProperties> properties,
			ObjectProvider<ProxyProperties> proxy) {
		this.httpClient = httpClient;
		this.headersFilters = headersFilters;
		this.properties = properties;
		this.proxy = proxy;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean.getClass() != NettyRoutingFilter.class) {
			return bean;
		}
		ProxyProperties proxy = this.proxy.getIfAvailable();
		return new EventLoopTimeoutRoutingFilter(this.httpClient.getObject(), this.headersFilters,
				this.properties.getObject(), new LoopAffineClients(proxy == null || proxy.loopAffinePools()));
	}

}
