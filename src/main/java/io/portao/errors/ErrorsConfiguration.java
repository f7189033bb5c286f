package io.portao.errors;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How upstream faults reach the client. */
@Configuration(proxyBeanMethods = false)
public class ErrorsConfiguration {

	@Bean
	UpstreamErrorHandler upstreamErrorHandler() {
		return new UpstreamErrorHandler();
	}

}
