package io.portao.framework;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real event loops, a real backend on loopback: a request made on an event loop goes out on a connection that lives
 * on that loop, pooled connections included.
 */
class LoopAffineClientsTests {

	private LoopResources loops;

	private DisposableServer backend;

	private ConnectionProvider provider;

	@BeforeEach
	void start() {
		this.loops = LoopResources.create("affine-test", 2, true);
		this.backend = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> response.sendString(Mono.just("ok")))
			.bindNow();
		this.provider = ConnectionProvider.create("affine-test", 16);
	}

	@AfterEach
	void stop() {
		this.backend.disposeNow();
		this.provider.disposeLater().block(Duration.ofSeconds(5));
		this.loops.disposeLater().block(Duration.ofSeconds(5));
	}

	@Test
	void requestsGoOutOnConnectionsOfTheCallingLoop() throws Exception {
		LoopAffineClients clients = new LoopAffineClients(true);
		AtomicInteger derived = new AtomicInteger();
		HttpClient shared = HttpClient.create(this.provider).runOn(this.loops);
		List<EventLoop> callers = twoLoops();
		List<String> mismatches = new ArrayList<>();
		// Alternating callers: with one shared pool, the other loop's idle connection would be handed out.
		for (int i = 0; i < 10; i++) {
			EventLoop caller = callers.get(i % 2);
			EventLoop used = onLoop(caller, () -> clients.client(null, key -> {
				derived.incrementAndGet();
				return shared;
			})).flatMap(this::connectionLoop).block(Duration.ofSeconds(5));
			if (used != caller) {
				mismatches.add("request " + i + " from " + caller + " went out on " + used);
			}
		}
		assertThat(mismatches).isEmpty();
		assertThat(derived).as("one client per loop and key, not per request").hasValue(2);
	}

	@Test
	void keysGetTheirOwnClientsOnEachLoop() throws Exception {
		LoopAffineClients clients = new LoopAffineClients(true);
		HttpClient shared = HttpClient.create(this.provider);
		EventLoop loop = twoLoops().get(0);
		HttpClient a1 = onLoop(loop, () -> clients.client(1000, key -> shared)).block();
		HttpClient a2 = onLoop(loop, () -> clients.client(1000, key -> shared)).block();
		HttpClient b = onLoop(loop, () -> clients.client(2000, key -> shared)).block();
		assertThat(a1).isSameAs(a2).isNotSameAs(b).isNotSameAs(shared);
	}

	@Test
	void offALoopOrSwitchedOffTheSharedClientIsUsed() throws Exception {
		HttpClient shared = HttpClient.create(this.provider);
		assertThat(new LoopAffineClients(true).client(null, key -> shared)).as("caller is not an event loop")
			.isSameAs(shared);
		EventLoop loop = twoLoops().get(0);
		LoopAffineClients off = new LoopAffineClients(false);
		assertThat(onLoop(loop, () -> off.client(null, key -> shared)).block()).isSameAs(shared);
	}

	private Mono<EventLoop> connectionLoop(HttpClient client) {
		return client.get()
			.uri("http://127.0.0.1:" + this.backend.port() + "/")
			.responseConnection((response, connection) -> connection.inbound()
				.receive()
				.then(Mono.just(connection.channel().eventLoop())))
			.single();
	}

	private List<EventLoop> twoLoops() {
		EventLoopGroup group = this.loops.onServer(true);
		EventLoop first = (EventLoop) group.next();
		EventLoop second = (EventLoop) group.next();
		while (second == first) {
			second = (EventLoop) group.next();
		}
		return List.of(first, second);
	}

	private static <T> Mono<T> onLoop(EventLoop loop, java.util.function.Supplier<T> work) throws Exception {
		CompletableFuture<T> result = new CompletableFuture<>();
		loop.execute(() -> result.complete(work.get()));
		return Mono.just(result.get(5, TimeUnit.SECONDS));
	}

}
