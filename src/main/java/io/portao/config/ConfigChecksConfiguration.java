package io.portao.config;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryProperties;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Start-up checks of the Spring properties Portão relies on. */
@Configuration(proxyBeanMethods = false)
public class ConfigChecksConfiguration {

	@Bean
	StartupChecks startupChecks(ObjectProvider<SimpleDiscoveryProperties> discovery,
			ObjectProvider<HttpClientProperties> httpClient) {
		return new StartupChecks(discovery.getIfAvailable(), httpClient.getIfAvailable());
	}

}
