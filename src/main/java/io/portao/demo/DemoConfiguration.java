package io.portao.demo;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/** The {@code demo} profile's built-in app instances (see application-demo.yml). */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
public class DemoConfiguration {

	@Bean
	DemoInstances demoInstances(DemoProperties properties) {
		return new DemoInstances(properties.instancePorts());
	}

}
