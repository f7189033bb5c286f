package io.portao.proxy;

import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.FastThreadLocal;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientConfig;

/**
 * The proxy lane's connections to instances: HTTP/1.1 keep-alive channels, pooled per event loop and opened on the
 * loop of the request they serve, so that a request and its upstream connection never leave the loop that accepted
 * it (as Armeria, Zuul 2 and Vert.x keep theirs). It stands in for Reactor Netty's {@code HttpClient} on the lane,
 * whose per-request layers (configuration copies, the connect and pool machinery, the request's send) were 27 % of
 * a lane request's CPU (docs/performance.md, eleventh round), for instances that client would reach the same way:
 * see {@link #reaches}. The channels are opened with the client's own channel options (connect timeout, TCP
 * options); an idle channel older than the pool's {@code max-idle-time} is closed instead of reused, as the
 * client's pool does.
 *
 * <p>The pool meters are Reactor Netty's ({@code reactor.netty.connection.provider.*}), with {@code id="lane"} beside
 * the client's own pools, so that a dashboard's sum per instance counts both.
 */
final class UpstreamChannels {

	static final String METER_PREFIX = "reactor.netty.connection.provider.";

	@Nullable
	private static final Constructor<?> EPOLL = constructor("io.netty.channel.epoll.EpollSocketChannel");

	@Nullable
	private static final Constructor<?> KQUEUE = constructor("io.netty.channel.kqueue.KQueueSocketChannel");

	private final FastThreadLocal<Map<String, ArrayDeque<Idle>>> idle = new FastThreadLocal<>() {

		@Override
		protected Map<String, ArrayDeque<Idle>> initialValue() {
			return new HashMap<>();
		}

	};

	private final Map<String, Counts> counts = new ConcurrentHashMap<>();

	private final long maxIdleNanos;

	@Nullable
	private final MeterRegistry meters;

	/**
	 * @param maxIdle the client pool's {@code max-idle-time}, {@code null} for none
	 * @param meters where the pool meters go, {@code null} when the client's pool metrics are off
	 */
	UpstreamChannels(@Nullable Duration maxIdle, @Nullable MeterRegistry meters) {
		this.maxIdleNanos = (maxIdle != null && !maxIdle.isZero() && !maxIdle.isNegative()) ? maxIdle.toNanos()
				: Long.MAX_VALUE;
		this.meters = meters;
	}

	/**
	 * Whether {@code client} would reach {@code host} as these channels do: plain HTTP (not {@code secure}) to an
	 * IP address (a name would need a resolver off the event loop), no proxy, no wiretap, HTTP/1.1 on cleartext.
	 */
	static boolean reaches(HttpClient client, String host, boolean secure) {
		if (secure || !(NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host))) {
			return false;
		}
		HttpClientConfig config = client.configuration();
		if (config.hasProxy() || config.loggingHandler() != null) {
			return false;
		}
		// Spring Cloud Gateway's client offers HTTP/1.1 and h2; h2 is only negotiated over TLS (ALPN), so plain HTTP
		// is HTTP/1.1 there too. h2c (prior knowledge or upgrade) or HTTP/3 would not be.
		boolean http11 = false;
		for (HttpProtocol protocol : config.protocols()) {
			if (protocol == HttpProtocol.H2C || protocol == HttpProtocol.HTTP3) {
				return false;
			}
			http11 |= protocol == HttpProtocol.HTTP11;
		}
		return http11;
	}

	/**
	 * Sends {@code request} to {@code host:port} ({@code address}, as the meters and logs write it) over a channel
	 * of {@code server}'s event loop (an idle one, or a new one with {@code client}'s options); the answer when its
	 * response headers came, or the failure: the connect's, a
	 * {@link io.portao.upstream.ClosedBeforeResponseException}, or the response timeout's.
	 */
	Mono<ChannelAnswer> send(Channel server, HttpClient client, String host, int port, String address,
			HttpRequest request, @Nullable Duration responseTimeout) {
		Mono<ChannelAnswer> sent = Mono.create(sink -> {
			ArrayDeque<Idle> pool = this.idle.get().computeIfAbsent(address, key -> new ArrayDeque<>());
			Counts counts = counts(address);
			long now = System.nanoTime();
			Idle idle;
			while ((idle = pool.pollLast()) != null) {
				ChannelExchange exchange = idle.channel.pipeline().get(ChannelExchange.class);
				if (idle.channel.isActive() && exchange != null && now - idle.since < this.maxIdleNanos) {
					counts.active.incrementAndGet();
					exchange.send(request, sink, responseTimeout);
					return;
				}
				idle.channel.close();
			}
			counts.pending.incrementAndGet();
			connect(server, client, host, port, address, pool, counts).addListener(future -> {
				counts.pending.decrementAndGet();
				if (!future.isSuccess()) {
					sink.error(future.cause());
					return;
				}
				Channel channel = ((ChannelFuture) future).channel();
				counts.active.incrementAndGet();
				channel.pipeline().get(ChannelExchange.class).send(request, sink, responseTimeout);
			});
		});
		// The pools are the loops' own: a request reaching here off its loop (never seen) is moved onto it.
		return server.eventLoop().inEventLoop() ? sent : sent.subscribeOn(Schedulers.fromExecutor(server.eventLoop()));
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private ChannelFuture connect(Channel server, HttpClient client, String host, int port, String address,
			ArrayDeque<Idle> pool, Counts counts) {
		Bootstrap bootstrap = new Bootstrap().group(server.eventLoop())
			.channelFactory(() -> newChannel(server))
			.handler(new ChannelInitializer<>() {

				@Override
				protected void initChannel(Channel channel) {
					channel.config().setAutoRead(false);
					channel.pipeline()
						.addLast(new HttpClientCodec())
						.addLast(new ChannelExchange(address, (ended, reusable) -> ended(ended, reusable, pool, counts)));
				}

			});
		client.configuration().options().forEach((option, value) -> bootstrap.option((ChannelOption) option, value));
		// An address literal, parsed here: the bootstrap's resolver is not asked (reaches() admits only literals).
		ChannelFuture connected = bootstrap
			.connect(new java.net.InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(host), port));
		connected.addListener(future -> {
			if (future.isSuccess()) {
				counts.total.incrementAndGet();
				connected.channel().closeFuture().addListener(closed -> counts.total.decrementAndGet());
			}
		});
		return connected;
	}

	/**
	 * A socket channel of the transport (epoll, kqueue or NIO) of the connection {@code server} belongs to, as its
	 * loop requires: an HTTP/2 stream's channel is not a socket's, its parent is.
	 */
	private static Channel newChannel(Channel server) {
		Channel socket = server;
		while (socket.parent() != null && !socket.getClass().getName().startsWith("io.netty.channel.")) {
			socket = socket.parent();
		}
		String transport = socket.getClass().getName();
		try {
			if (transport.startsWith("io.netty.channel.epoll.")) {
				return (Channel) EPOLL.newInstance();
			}
			if (transport.startsWith("io.netty.channel.kqueue.")) {
				return (Channel) KQUEUE.newInstance();
			}
			return new NioSocketChannel();
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			throw new IllegalStateException("No client channel for the transport of " + transport, ex);
		}
	}

	/**
	 * The native transports' socket channels, looked up once here, off the event loops (loading a class from the jar
	 * there would block them); null where the transport is not on the class path.
	 */
	@Nullable
	private static Constructor<?> constructor(String type) {
		try {
			return Class.forName(type).getConstructor();
		}
		catch (ReflectiveOperationException | LinkageError ex) {
			return null;
		}
	}

	/** An exchange ended: a channel that may serve another goes back to its loop's pool. */
	private static void ended(Channel channel, boolean reusable, ArrayDeque<Idle> pool, Counts counts) {
		counts.active.decrementAndGet();
		if (reusable) {
			pool.addLast(new Idle(channel, System.nanoTime()));
		}
	}

	private Counts counts(String address) {
		Counts counts = this.counts.get(address);
		return (counts != null) ? counts : this.counts.computeIfAbsent(address, this::register);
	}

	private Counts register(String address) {
		Counts counts = new Counts();
		if (this.meters != null) {
			gauge("total.connections", address, counts, c -> c.total.get());
			gauge("active.connections", address, counts, c -> c.active.get());
			gauge("idle.connections", address, counts, c -> c.total.get() - c.active.get());
			gauge("pending.connections", address, counts, c -> c.pending.get());
		}
		return counts;
	}

	private void gauge(String name, String address, Counts counts, java.util.function.ToDoubleFunction<Counts> value) {
		Gauge.builder(METER_PREFIX + name, counts, value)
			.tags("id", "lane", "name", "proxy", "remote.address", address)
			.register(this.meters);
	}

	private record Idle(Channel channel, long since) {

	}

	/** One instance's channels over every loop, for the meters. */
	private static final class Counts {

		final AtomicInteger total = new AtomicInteger();

		final AtomicInteger active = new AtomicInteger();

		final AtomicInteger pending = new AtomicInteger();

	}

}
