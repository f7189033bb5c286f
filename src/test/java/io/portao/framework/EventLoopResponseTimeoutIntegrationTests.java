package io.portao.framework;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The response timeout runs on the upstream connection's event loop ({@link EventLoopTimeoutRoutingFilter}), not on
 * Reactor's {@code parallel} scheduler, fails as Spring Cloud Gateway's did (504 naming the upstream), takes the
 * upstream's own value (route metadata) over the global one, and covers the response headers only: a body that
 * pauses longer than the response timeout between reads still arrives whole.
 */
@SpringBootTest(classes = { PortaoApplication.class, EventLoopResponseTimeoutIntegrationTests.Threads.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0",
				"spring.cloud.gateway.server.webflux.httpclient.response-timeout=30s",
				"portao.upstreams.bapis.response-timeout=400ms" })
class EventLoopResponseTimeoutIntegrationTests {

	static final FakeBackend backend = FakeBackend.start("backend-a");

	/** Threads on which the routing filter's error reached the filter right before it. */
	static final List<String> errorThreads = new CopyOnWriteArrayList<>();

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, backend);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Threads {

		@Bean
		GlobalFilter errorThreadRecorder() {
			return new RecordingFilter();
		}

	}

	@LocalServerPort
	int port;

	@Autowired
	List<GlobalFilter> globalFilters;

	@AfterEach
	void restore() {
		backend.handler(null).delay(Duration.ZERO);
		errorThreads.clear();
	}

	@AfterAll
	static void stop() {
		backend.close();
	}

	@Test
	void springsRoutingFilterIsReplaced() {
		assertThat(this.globalFilters).noneMatch(filter -> filter.getClass() == NettyRoutingFilter.class);
		assertThat(this.globalFilters).filteredOn(filter -> filter instanceof EventLoopTimeoutRoutingFilter)
			.singleElement()
			.extracting(filter -> ((NettyRoutingFilter) filter).getOrder())
			.isEqualTo(NettyRoutingFilter.ORDER);
	}

	@Test
	void noHeadersInTimeGives504FromAnEventLoop() {
		backend.delay(Duration.ofSeconds(3));
		long start = System.nanoTime();
		HttpResponse<String> response = new GatewayClient(this.port).get("/slow");
		long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
		assertThat(response.statusCode()).isEqualTo(504);
		assertThat(response.body()).contains("bapis").contains("no response in time");
		assertThat(elapsedMillis).as("the upstream's 400 ms, not the global 30 s, on a busy machine").isBetween(350L, 10_000L);
		// An event loop of Reactor Netty's (the global "reactor-http-*" or Spring's own "webflux-http-*" when a
		// context in the same JVM made its own): with one upstream pool per event loop, the upstream connection
		// lives on the server's loop, so the timeout fires there; never Reactor's "parallel-*" scheduler.
		assertThat(errorThreads).singleElement().asString().matches("(reactor|webflux)-http-.*");
	}

	@Test
	void aBodyPausingLongerThanTheResponseTimeoutArrivesWhole() {
		backend.handler((request, response) -> response.sendString(Flux.concat(Mono.just("first "),
				Mono.delay(Duration.ofMillis(900)).thenReturn("second "),
				Mono.delay(Duration.ofMillis(900)).thenReturn("third"))));
		HttpResponse<String> response = new GatewayClient(this.port).get("/drip");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("first second third");
		assertThat(errorThreads).isEmpty();
	}

	/** Right before the routing filter: sees the routing filter's error first. */
	static final class RecordingFilter implements GlobalFilter, Ordered {

		@Override
		public Mono<Void> filter(org.springframework.web.server.ServerWebExchange exchange,
				org.springframework.cloud.gateway.filter.GatewayFilterChain chain) {
			return chain.filter(exchange).doOnError(error -> errorThreads.add(Thread.currentThread().getName()));
		}

		@Override
		public int getOrder() {
			return NettyRoutingFilter.ORDER - 1;
		}

	}

}
