package io.portao.support;

import java.util.List;
import java.util.function.Supplier;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The configuration contract (one {@code Path=/**} route to {@code lb://bapis}, instances from the static
 * discovery list) pointed at test backends.
 */
public final class ContractProperties {

	private ContractProperties() {
	}

	public static void register(DynamicPropertyRegistry registry, FakeBackend... backends) {
		registerUris(registry, java.util.Arrays.stream(backends).<Supplier<Object>>map(b -> b::uri).toList());
	}

	/** The contract with instances at these URIs, read when the context starts. */
	public static void registerUris(DynamicPropertyRegistry registry, List<Supplier<Object>> uris) {
		for (int i = 0; i < uris.size(); i++) {
			registry.add("spring.cloud.discovery.client.simple.instances.bapis[" + i + "].uri", uris.get(i));
		}
		registry.add("spring.cloud.gateway.server.webflux.routes[0].id", () -> "bapis");
		registry.add("spring.cloud.gateway.server.webflux.routes[0].uri", () -> "lb://bapis");
		registry.add("spring.cloud.gateway.server.webflux.routes[0].predicates[0]", () -> "Path=/**");
	}

	/** The same contract as a YAML document, for runs of the packaged jar. */
	public static String yaml(int port, List<String> instanceUris) {
		StringBuilder yaml = new StringBuilder();
		yaml.append("server:\n  port: ").append(port).append('\n');
		yaml.append("spring:\n  cloud:\n    discovery:\n      client:\n        simple:\n          instances:\n            bapis:\n");
		instanceUris.forEach(uri -> yaml.append("              - uri: ").append(uri).append('\n'));
		yaml.append("    gateway:\n      server:\n        webflux:\n          routes:\n");
		yaml.append("            - id: bapis\n              uri: lb://bapis\n              predicates:\n                - Path=/**\n");
		return yaml.toString();
	}

}
