package io.portao.upstream.failover;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.portao.upstream.UpstreamRegistry;

/** nginx {@code proxy_next_upstream} on the gateway path, for every {@code lb://} route. */
@Configuration(proxyBeanMethods = false)
public class FailoverConfiguration {

	@Bean
	NextUpstreamFilter nextUpstreamFilter(UpstreamRegistry registry) {
		return new NextUpstreamFilter(registry);
	}

}
