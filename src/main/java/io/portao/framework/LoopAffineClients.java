package io.portao.framework;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.ThreadExecutorMap;
import reactor.netty.http.client.HttpClient;

/**
 * One upstream connection pool per event loop, as Armeria (a pool per event loop), Zuul 2
 * ({@code connectionsPerEventLoop}) and Vert.x (the pool prefers the caller's loop) keep them: a request served on
 * event loop N borrows, and returns, a connection that lives on loop N.
 *
 * <p>Reactor Netty keeps one pool per remote address and client configuration. It places a <em>new</em> connection
 * on the caller's loop, but hands out any idle one, whichever loop it lives on: the request is then written from
 * the server's loop onto the client's, and the response comes back the other way, two cross-thread hand-offs
 * (task queue, wake-up) per request and per direction. Reactor Netty's pool key includes the client's
 * {@code LoopResources}, and {@code runOn(eventLoop)} compares equal for the same loop, so a client derived once
 * per loop gets its own pool whose connections are all created on that loop.
 *
 * <p>Clients are derived once per event loop and per configuration key (the connect timeout a route asks for),
 * and kept in a {@link FastThreadLocal}: the lookup is thread-confined, and no client configuration is copied per
 * request. A caller not on one of Netty's event loops (a test calling the filter directly, a blocking bridge) gets
 * the shared client, as before.
 *
 * <p>The cost: each event loop opens its own connections to an instance, so up to {@code ioWorkerCount} times as
 * many idle keep-alive connections (2 on a 2-core machine), and a pool's {@code max-connections} applies per loop.
 */
final class LoopAffineClients {

	private final FastThreadLocal<Map<Object, HttpClient>> clients = new FastThreadLocal<>() {

		@Override
		protected Map<Object, HttpClient> initialValue() {
			return new HashMap<>(4);
		}

	};

	private final boolean enabled;

	LoopAffineClients(boolean enabled) {
		this.enabled = enabled;
	}

	/**
	 * The client for the calling event loop and {@code key}, made from {@code shared(key)} on first use; the shared
	 * client itself off an event loop, or when loop affinity is off.
	 */
	HttpClient client(Object key, Function<Object, HttpClient> shared) {
		if (!this.enabled) {
			return shared.apply(key);
		}
		// Netty's own record of the executor a thread runs (public since 4.1.46, used by its channels and by
		// Reactor Netty's colocated loops): no event-loop group to search, no configuration to read.
		EventExecutor executor = ThreadExecutorMap.currentExecutor();
		if (!(executor instanceof EventLoop loop)) {
			return shared.apply(key);
		}
		Map<Object, HttpClient> onThisLoop = this.clients.get();
		HttpClient client = onThisLoop.get(key);
		if (client == null) {
			client = shared.apply(key).runOn(loop);
			onThisLoop.put(key, client);
		}
		return client;
	}

}
