package io.portao.limits;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.portao.PortaoApplication;
import io.portao.support.FakeBackend;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shutting the gateway down with a proxied WebSocket open: the client receives a close frame {@code 1001}
 * (going away) rather than a cut connection when the grace period ends.
 */
class WebSocketGoingAwayIntegrationTests {

	static final FakeBackend backend = FakeBackend.start("ws-backend")
		.handler((request, response) -> response.sendWebsocket((in, out) -> out
			.sendString(in.receive().asString().map(text -> "echo:" + text))));

	@AfterAll
	static void stop() {
		backend.close();
	}

	@Test
	void clientGetsGoingAwayOnShutdown() throws Exception {
		ConfigurableApplicationContext gateway = new SpringApplicationBuilder(PortaoApplication.class)
			.properties(Map.of("server.port", "0", "management.server.port", "0",
					"spring.cloud.discovery.client.simple.instances.bapis[0].uri", backend.uri(),
					"spring.cloud.gateway.server.webflux.routes[0].id", "bapis",
					"spring.cloud.gateway.server.webflux.routes[0].uri", "lb://bapis",
					"spring.cloud.gateway.server.webflux.routes[0].predicates[0]", "Path=/**"))
			.run();
		try {
			int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
			CompletableFuture<String> echoed = new CompletableFuture<>();
			CompletableFuture<WebSocketCloseStatus> status = new CompletableFuture<>();
			HttpClient.create()
				.websocket()
				.uri("ws://127.0.0.1:" + port + "/ws")
				.handle((in, out) -> {
					in.receive().asString().subscribe(echoed::complete);
					in.receiveCloseStatus().subscribe(status::complete);
					return out.sendString(Flux.just("hi")).then(Mono.never());
				})
				.subscribe();
			assertThat(echoed.get(20, TimeUnit.SECONDS)).isEqualTo("echo:hi");

			CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);
			assertThat(status.get(20, TimeUnit.SECONDS).code()).isEqualTo(1001);
			closing.get(40, TimeUnit.SECONDS);
		}
		finally {
			gateway.close();
		}
	}

}
