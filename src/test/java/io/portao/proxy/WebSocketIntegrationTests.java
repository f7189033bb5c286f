package io.portao.proxy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;

import static org.assertj.core.api.Assertions.assertThat;

/** WebSocket upgrades on a proxied route reach an instance and frames flow both ways (nginx's config cannot). */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0" })
class WebSocketIntegrationTests {

	static final FakeBackend backend = FakeBackend.start("ws-backend")
		.handler((request, response) -> response.sendWebsocket((in, out) -> out
			.sendString(in.receive().asString().map(text -> "echo:" + text + " host:" + request.requestHeaders().get("Host")))));

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, backend);
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() {
		backend.close();
	}

	@Test
	void framesAreProxiedBothWays() {
		List<String> replies = HttpClient.create()
			.websocket()
			.uri("ws://127.0.0.1:" + this.port + "/ws")
			.handle((in, out) -> out.sendString(Flux.just("one", "two"))
				.then()
				.thenMany(in.receive().asString().take(2)))
			.collectList()
			.block(Duration.ofSeconds(20));
		assertThat(replies).containsExactly("echo:one host:127.0.0.1:" + this.port,
				"echo:two host:127.0.0.1:" + this.port);
	}

}
