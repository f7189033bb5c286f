package io.portao.demo;

import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.FreePorts;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's demo: two built-in instances behind the gateway, round robin visible at once. */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0" })
@ActiveProfiles("demo")
class DemoProfileIntegrationTests {

	static final int FIRST = FreePorts.next();

	static final int SECOND = FreePorts.next();

	@DynamicPropertySource
	static void ports(DynamicPropertyRegistry registry) {
		// The demo's own ports (8080, 8081) may be taken on a build machine; the profile is otherwise unchanged.
		registry.add("portao.demo.instance-ports", () -> FIRST + "," + SECOND);
		registry.add("spring.cloud.discovery.client.simple.instances.bapis[0].uri", () -> "http://127.0.0.1:" + FIRST);
		registry.add("spring.cloud.discovery.client.simple.instances.bapis[1].uri", () -> "http://127.0.0.1:" + SECOND);
	}

	@LocalServerPort
	int port;

	@Test
	void rootAlternatesBetweenTheTwoDemoInstances() {
		GatewayClient client = new GatewayClient(this.port);
		Set<String> servers = new HashSet<>();
		for (int i = 0; i < 4; i++) {
			HttpResponse<String> response = client.get("/");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).startsWith("Hello from demo instance");
			servers.add(response.headers().firstValue("Server").orElseThrow());
		}
		assertThat(servers).containsExactlyInAnyOrder("demo-instance-" + FIRST, "demo-instance-" + SECOND);
	}

	@Test
	void sampleStaticFilesAreServedFromTheJarWithExpiresMaxWhenVersioned() {
		GatewayClient client = new GatewayClient(this.port);
		HttpResponse<String> text = client.get("/static/hello.txt");
		assertThat(text.statusCode()).isEqualTo(200);
		assertThat(text.body()).startsWith("Hello from Portão's static files");
		assertThat(text.headers().firstValue("Expires")).isEmpty();
		HttpResponse<String> css = client.get("/static/app.css?v=1");
		assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css");
		assertThat(css.headers().firstValue("Expires")).hasValue("Thu, 31 Dec 2037 23:55:55 GMT");
	}

}
