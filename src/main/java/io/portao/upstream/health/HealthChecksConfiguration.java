package io.portao.upstream.health;

import reactor.core.scheduler.Schedulers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.portao.upstream.UpstreamRegistry;

/** Active health checks for every upstream whose {@code health-check.enabled} is true. */
@Configuration(proxyBeanMethods = false)
public class HealthChecksConfiguration {

	@Bean
	HealthChecks upstreamHealthChecks(UpstreamRegistry registry) {
		return new HealthChecks(registry, Schedulers.parallel());
	}

}
