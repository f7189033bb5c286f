package io.portao.proxy;

import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.FakeBackend;
import io.portao.support.FreePorts;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy lane's own upstream connections ({@link UpstreamChannels}): an instance at an IP address is reached over
 * them, kept alive and reused, counted by the pool meters under {@code id="lane"}; an idle one older than the pool's
 * {@code max-idle-time} is closed, not reused; an instance named by host name takes Reactor Netty's client (its
 * name would need a resolver off the event loop).
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "spring.cloud.gateway.server.webflux.httpclient.pool.max-idle-time=1s" })
class UpstreamChannelsIntegrationTests {

	static final int MANAGEMENT_PORT = FreePorts.next();

	static final FakeBackend byAddress = FakeBackend.start("by-address");

	static final FakeBackend byName = FakeBackend.start("by-name", "localhost", 0);

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.discovery.client.simple.instances.bapis[0].uri", byAddress::uri);
		registry.add("spring.cloud.discovery.client.simple.instances.names[0].uri", byName::uri);
		registry.add("spring.cloud.gateway.server.webflux.routes[0].id", () -> "names");
		registry.add("spring.cloud.gateway.server.webflux.routes[0].uri", () -> "lb://names");
		registry.add("spring.cloud.gateway.server.webflux.routes[0].predicates[0]", () -> "Path=/named/**");
		registry.add("spring.cloud.gateway.server.webflux.routes[1].id", () -> "bapis");
		registry.add("spring.cloud.gateway.server.webflux.routes[1].uri", () -> "lb://bapis");
		registry.add("spring.cloud.gateway.server.webflux.routes[1].predicates[0]", () -> "Path=/**");
		registry.add("management.server.port", () -> MANAGEMENT_PORT);
	}

	@AfterAll
	static void stop() {
		byAddress.close();
		byName.close();
	}

	@LocalServerPort
	int port;

	@Test
	void anInstanceAtAnAddressIsReachedOverKeptAliveConnectionsCountedAsTheLanes() {
		GatewayClient client = new GatewayClient(this.port);
		int before = byAddress.acceptedConnections();
		for (int i = 0; i < 40; i++) {
			HttpResponse<String> response = client.get("/kept/" + i);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("X-Backend")).hasValue("by-address");
		}

		// One client connection sits on one event loop: its 40 requests share that loop's one upstream connection
		// (opened now, or left idle by a test before).
		assertThat(byAddress.acceptedConnections() - before).isLessThanOrEqualTo(1);
		String scrape = new GatewayClient(MANAGEMENT_PORT).get("/actuator/prometheus").body();
		String address = "127.0.0.1:" + byAddress.port();
		assertThat(gauge(scrape, "total", address)).isPositive();
		assertThat(gauge(scrape, "active", address)).isZero();
		assertThat(gauge(scrape, "idle", address)).isEqualTo(gauge(scrape, "total", address));
	}

	@Test
	void anIdleConnectionOlderThanTheMaxIdleTimeIsNotReused() throws Exception {
		GatewayClient client = new GatewayClient(this.port);
		assertThat(client.get("/first").statusCode()).isEqualTo(200);
		int before = byAddress.acceptedConnections();
		Thread.sleep(1500);

		assertThat(client.get("/after-idle").statusCode()).isEqualTo(200);

		assertThat(byAddress.acceptedConnections() - before).as("a new connection after the idle time").isEqualTo(1);
	}

	@Test
	void anInstanceNamedByHostNameTakesTheClient() {
		HttpResponse<String> response = new GatewayClient(this.port).get("/named/x");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("X-Backend")).hasValue("by-name");
		String scrape = new GatewayClient(MANAGEMENT_PORT).get("/actuator/prometheus").body();
		assertThat(scrape).doesNotContainPattern("id=\"lane\"[^}]*remote_address=\"[^\"]*:" + byName.port() + "\"");
	}

	private static int gauge(String scrape, String kind, String address) {
		Matcher m = Pattern.compile("^reactor_netty_connection_provider_" + kind + "_connections\\{([^}]*)\\} (\\S+)$",
				Pattern.MULTILINE)
			.matcher(scrape);
		while (m.find()) {
			if (m.group(1).contains("id=\"lane\"") && m.group(1).contains("remote_address=\"" + address + "\"")) {
				return (int) Double.parseDouble(m.group(2));
			}
		}
		return -1;
	}

}
