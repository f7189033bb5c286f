package io.portao.metrics;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.FreePorts;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Actuator moved onto the public port ({@code management.server.port} = {@code server.port}), the upstreams
 * and reload endpoints still read, but their write operations refuse with 403: nothing writable on the public
 * port, whatever the configuration.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		// Without the built-in application.yml, whose management.server.address Boot refuses on a shared port.
		properties = { "spring.config.name=no-such-config",
				"management.endpoints.web.exposure.include=health,upstreams,reload" })
class InstanceControlSharedPortIntegrationTests {

	static final int PORT = FreePorts.next();

	static final FakeBackend backend = FakeBackend.start("a");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, backend);
		registry.add("server.port", () -> PORT);
		registry.add("management.server.port", () -> PORT);
	}

	@AfterAll
	static void stopBackend() {
		backend.close();
	}

	@Test
	void theWriteOperationRefusesOnThePublicPort() {
		GatewayClient client = new GatewayClient(PORT);
		HttpResponse<String> write = client.send(client.request("/actuator/upstreams/bapis/" + backend.uri().substring(7))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"state\":\"down\"}"))
			.build());
		assertThat(write.statusCode()).isEqualTo(403);
		assertThat(write.body()).contains("separate management port only");
		assertThat(client.get("/actuator/upstreams/bapis").body()).as("unchanged").contains("\"state\":\"UP\"")
			.contains("\"control\":null");
	}

	@Test
	void aReloadIsRefusedOnThePublicPort() {
		GatewayClient client = new GatewayClient(PORT);
		HttpResponse<String> write = client.send(client.request("/actuator/reload")
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
		assertThat(write.statusCode()).isEqualTo(403);
		assertThat(write.body()).contains("reloads are asked on a separate management port only");
		assertThat(client.get("/actuator/reload").statusCode()).as("no reload happened").isEqualTo(404);
	}

}
