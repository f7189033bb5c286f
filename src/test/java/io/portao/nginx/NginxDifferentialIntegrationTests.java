package io.portao.nginx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.NginxProcess;

/**
 * The differential test with Portão configured by the README's configuration contract (Spring's own properties,
 * set here), in this JVM.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0",
				"spring.cloud.gateway.server.webflux.routes[0].id=bapis",
				"spring.cloud.gateway.server.webflux.routes[0].uri=lb://bapis",
				"spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/**" })
class NginxDifferentialIntegrationTests extends NginxDifferential {

	@LocalServerPort
	int port;

	@BeforeAll
	static void startNginx() throws IOException {
		nginx = NginxProcess.start(Files.createDirectories(tmp.resolve("nginx")),
				List.of(backendA.port(), backendB.port()), root());
	}

	@DynamicPropertySource
	static void portao(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.discovery.client.simple.instances.bapis[0].uri", () -> backendA.uri());
		registry.add("spring.cloud.discovery.client.simple.instances.bapis[1].uri", () -> backendB.uri());
		registry.add("spring.web.resources.static-locations", () -> "file:" + root().resolve("static") + "/");
	}

	@Override
	int portaoPort() {
		return this.port;
	}


}
