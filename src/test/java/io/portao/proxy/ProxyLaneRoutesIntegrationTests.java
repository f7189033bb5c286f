package io.portao.proxy;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.portao.PortaoApplication;
import io.portao.lane.LaneConfiguration;
import io.portao.support.FakeBackend;
import io.portao.support.FakeBackend.Echo;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which route takes which path, said once at start-up and shown in {@code /actuator/upstreams}, and requests
 * following it: a route with a filter, one with a predicate the lane cannot decide and every route after it take
 * the gateway path; the others the lane. With the lane off, every route says so.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProxyLaneRoutesIntegrationTests {

	static final FakeBackend backend = FakeBackend.start("backend-a");

	static final ObjectMapper json = new ObjectMapper();

	@AfterAll
	static void stop() {
		backend.close();
	}

	@Test
	void eachRouteTakesThePathItSaysItTakes(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext context = start(true)) {
			assertThat(output).contains("route 'filtered': gateway path (route or default filters (1))")
				.contains("route 'api': proxy lane")
				.contains("route 'hosted': gateway path (predicates [Host, Path]")
				.contains("route 'rest': gateway path (after route 'hosted', whose predicates the lane cannot decide)");
			GatewayClient gateway = new GatewayClient(port(context));
			ProxyLane lane = context.getBean(ProxyLane.class);

			long before = lane.served();
			assertThat(gateway.get("/api/x").statusCode()).isEqualTo(200);
			assertThat(lane.served()).isEqualTo(before + 1);
			Echo filtered = Echo.parse(gateway.get("/filtered/x").body());
			assertThat(filtered.header("X-Filtered")).isEqualTo("yes");
			assertThat(gateway.get("/other").statusCode()).isEqualTo(200);
			assertThat(lane.served()).isEqualTo(before + 1);

			JsonNode routes = json.readTree(new GatewayClient(managementPort(context)).get("/actuator/upstreams").body())
				.get("routes");
			assertThat(json.convertValue(routes, Map.class)).containsExactly(
					Map.entry("filtered", Map.of("path", "gateway", "reason", "route or default filters (1)")),
					Map.entry("api", Map.of("path", "lane")),
					Map.entry("hosted", Map.of("path", "gateway", "reason",
							"predicates [Host, Path] (the lane decides Path /** or /a/b/**, and Method)")),
					Map.entry("rest", Map.of("path", "gateway", "reason",
							"after route 'hosted', whose predicates the lane cannot decide")));
		}
	}

	@Test
	void withTheLaneOffEveryRouteSaysSo() throws Exception {
		try (ConfigurableApplicationContext context = start(false)) {
			JsonNode routes = json.readTree(new GatewayClient(managementPort(context)).get("/actuator/upstreams").body())
				.get("routes");
			assertThat(routes.size()).isEqualTo(4);
			routes.forEach(route -> assertThat(route.get("reason").asText())
				.isEqualTo("the lane is off (portao.proxy.lane.enabled=false)"));
		}
	}

	private static ConfigurableApplicationContext start(boolean lane) {
		String routes = "--spring.cloud.gateway.server.webflux.routes";
		return new SpringApplicationBuilder(PortaoApplication.class).run("--server.port=0",
				"--management.server.port=0", "--" + LaneConfiguration.ENABLED + "=" + lane,
				"--spring.cloud.discovery.client.simple.instances.bapis[0].uri=" + backend.uri(),
				routes + "[0].id=filtered", routes + "[0].uri=lb://bapis",
				routes + "[0].predicates[0]=Path=/filtered/**", routes + "[0].filters[0]=AddRequestHeader=X-Filtered, yes",
				routes + "[1].id=api", routes + "[1].uri=lb://bapis", routes + "[1].predicates[0]=Path=/api/**",
				routes + "[2].id=hosted", routes + "[2].uri=lb://bapis",
				routes + "[2].predicates[0]=Host=**.example.test", routes + "[2].predicates[1]=Path=/**",
				routes + "[3].id=rest", routes + "[3].uri=lb://bapis", routes + "[3].predicates[0]=Path=/**");
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static int managementPort(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.management.port"));
	}

}
