package io.portao.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import java.util.function.BiFunction;

import org.reactivestreams.Publisher;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.GlobalEventExecutor;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A backend app instance on loopback for tests: a real Reactor Netty server that records what it received and
 * answers with a description of it, and that can be told to delay, fail, reset or die mid-body.
 *
 * <p>The default answer is {@code 200} with {@code Server: <name>}, {@code X-Backend: <name>} and a body of
 * lines {@code backend <name>}, {@code <METHOD> <raw uri>}, then each received header as
 * {@code lowercase-name: value} in name order, then {@code body-bytes: N}; {@link Echo#parse} reads it back.
 */
public final class FakeBackend implements AutoCloseable {

	/** What the backend does with a request. */
	public enum Mode {
		/** Answer 200 with the echo body. */
		ECHO,
		/** Close the connection with a TCP reset as soon as a request arrives, before any response byte. */
		RESET,
		/** Send headers with a Content-Length of 100000, 1000 bytes of body, then close the connection. */
		DIE_MID_BODY
	}

	/**
	 * Backends run on event loops of their own, never Reactor Netty's global ones, which a gateway context
	 * disposes when it closes.
	 */
	private static final LoopResources LOOPS = LoopResources.create("fake-backend", 2, true);

	private final String name;

	private final List<Echo> received = new CopyOnWriteArrayList<>();

	private final AtomicInteger requestCount = new AtomicInteger();

	private final AtomicInteger heads = new AtomicInteger();

	private volatile Mode mode = Mode.ECHO;

	private volatile Duration delay = Duration.ZERO;

	private volatile Map<String, String> extraHeaders = Map.of();

	private volatile int status = 200;

	private final int requestedPort;

	private final String host;

	private DisposableServer server;

	private int port;

	private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

	private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();

	private volatile BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> custom;

	private FakeBackend(String name, String host, int port) {
		this.name = name;
		this.host = host;
		this.requestedPort = port;
	}

	/** Starts a backend named {@code name} on an ephemeral loopback port. */
	public static FakeBackend start(String name) {
		return start(name, 0);
	}

	/** Starts a backend named {@code name} on the given loopback port (0 for an ephemeral one). */
	public static FakeBackend start(String name, int port) {
		return start(name, "127.0.0.1", port);
	}

	/**
	 * Starts a backend on {@code host}, a loopback address such as {@code 127.0.0.2} (Linux routes all of
	 * 127.0.0.0/8 to the loopback interface), so that several backends can share one port as the pods of a
	 * Kubernetes Service do.
	 */
	public static FakeBackend start(String name, String host, int port) {
		FakeBackend backend = new FakeBackend(name, host, port);
		backend.bind(port);
		return backend;
	}

	private void bind(int port) {
		this.server = HttpServer.create()
			.runOn(LOOPS)
			.host(this.host)
			.port(port)
			.childOption(ChannelOption.SO_LINGER, 0)
			.doOnChannelInit((observer, channel, remote) -> {
				this.accepted.incrementAndGet();
				countHeads(channel.pipeline());
			})
			.doOnConnection(connection -> this.connections.add(connection.channel()))
			.handle(this::handle)
			.bindNow(Duration.ofSeconds(10));
		this.port = this.server.port();
	}

	/**
	 * Counts every request head right after the HTTP codec, before Reactor Netty refuses any (a {@code Host} whose
	 * port is not a number gets its {@code 400} without reaching {@link #handle}).
	 */
	private void countHeads(ChannelPipeline pipeline) {
		ChannelHandlerContext codec = pipeline.context(HttpServerCodec.class);
		if (codec == null) {
			throw new IllegalStateException("no HTTP/1.1 codec to count request heads after: " + pipeline.names());
		}
		pipeline.addAfter(codec.name(), "fakeBackend.heads", new ChannelInboundHandlerAdapter() {

			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				if (msg instanceof HttpRequest) {
					FakeBackend.this.heads.incrementAndGet();
				}
				ctx.fireChannelRead(msg);
			}

		});
	}

	private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		this.requestCount.incrementAndGet();
		BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler = this.custom;
		if (handler != null) {
			return Mono.from(handler.apply(request, response));
		}
		if (this.mode == Mode.RESET) {
			return Mono.fromRunnable(() -> request.withConnection(c -> c.channel().close()));
		}
		Map<String, String> headers = new TreeMap<>();
		request.requestHeaders().forEach(e -> headers.merge(e.getKey().toLowerCase(), e.getValue(), (a, b) -> a + "," + b));
		return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0]).flatMap(body -> {
			Echo echo = new Echo(this.name, request.method().name(), request.uri(), headers, body.length);
			this.received.add(echo);
			return respond(request, response, echo);
		});
	}

	private Mono<Void> respond(HttpServerRequest request, HttpServerResponse response, Echo echo) {
		Mono<Void> delayed = this.delay.isZero() ? Mono.empty() : Mono.delay(this.delay).then();
		response.header("Server", this.name).header("X-Backend", this.name);
		this.extraHeaders.forEach(response::header);
		if (this.mode == Mode.DIE_MID_BODY) {
			return delayed.then(dieMidBody(request, response));
		}
		byte[] bytes = echo.render().getBytes(StandardCharsets.UTF_8);
		return delayed.then(response.status(this.status)
			.header("Content-Type", "text/plain; charset=utf-8")
			.header("Content-Length", String.valueOf(bytes.length))
			.sendByteArray(Mono.just(bytes))
			.then());
	}

	private Mono<Void> dieMidBody(HttpServerRequest request, HttpServerResponse response) {
		byte[] part = new byte[1000];
		java.util.Arrays.fill(part, (byte) 'x');
		return response.status(200)
			.header("Content-Length", "100000")
			.sendByteArray(Mono.just(part))
			.then()
			.then(Mono.<Void>fromRunnable(() -> request.withConnection(c -> c.channel().close())))
			.then(Mono.never());
	}

	/** Switches what the backend does with the next requests. */
	public FakeBackend mode(Mode mode) {
		this.mode = mode;
		return this;
	}

	/** Hands every request to {@code handler} instead (streaming tests); {@code null} restores the echo. */
	public FakeBackend handler(BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
		this.custom = handler;
		return this;
	}

	/** Delays every answer by {@code delay}. */
	public FakeBackend delay(Duration delay) {
		this.delay = delay;
		return this;
	}

	/** Answers with this status instead of 200. */
	public FakeBackend status(int status) {
		this.status = status;
		return this;
	}

	/** Adds these response headers to every answer (for example a {@code Location}). */
	public FakeBackend headers(Map<String, String> headers) {
		this.extraHeaders = Map.copyOf(headers);
		return this;
	}

	/**
	 * Dies: stops listening, so that new connections to its port are refused, and closes (resets) every open
	 * connection, as the kernel does for a killed process.
	 */
	public void stop() {
		if (this.server != null) {
			this.server.disposeNow(Duration.ofSeconds(5));
			this.server = null;
		}
		this.connections.close().awaitUninterruptibly(5000);
	}

	/** Listens again on the same port after {@link #stop()}. */
	public void restart() {
		bind(port());
	}

	public String name() {
		return this.name;
	}

	public int port() {
		return this.port;
	}

	/** Connections accepted since start-up. */
	public int acceptedConnections() {
		return this.accepted.get();
	}

	/** Connections open now. */
	public int openConnections() {
		return this.connections.size();
	}

	public String uri() {
		return "http://" + authority();
	}

	/** {@code host:port}, as the gateway names this instance (in /actuator/upstreams, meters and the access log). */
	public String authority() {
		return this.host + ":" + port();
	}

	/** Requests that reached the backend and were answered or were being answered. */
	public List<Echo> received() {
		return List.copyOf(this.received);
	}

	/** Every request that arrived, including those it reset. */
	public int requestCount() {
		return this.requestCount.get();
	}

	/** Every request head that arrived, including those its HTTP server refused before {@link #requestCount()}. */
	public int heads() {
		return this.heads.get();
	}

	public void clear() {
		this.received.clear();
		this.requestCount.set(0);
		this.heads.set(0);
	}

	@Override
	public void close() {
		stop();
	}

	/** One request as the backend saw it. */
	public record Echo(String backend, String method, String uri, Map<String, String> headers, int bodyBytes) {

		public String header(String name) {
			return this.headers.get(name.toLowerCase());
		}

		String render() {
			StringBuilder out = new StringBuilder();
			out.append("backend ").append(this.backend).append('\n');
			out.append(this.method).append(' ').append(this.uri).append('\n');
			this.headers.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
			out.append("body-bytes: ").append(this.bodyBytes).append('\n');
			return out.toString();
		}

		/** Reads back a body written by {@link #render()}. */
		public static Echo parse(String body) {
			String[] lines = body.split("\n");
			String backend = lines[0].substring("backend ".length());
			int space = lines[1].indexOf(' ');
			Map<String, String> headers = new TreeMap<>();
			int bodyBytes = -1;
			for (int i = 2; i < lines.length; i++) {
				int colon = lines[i].indexOf(": ");
				String key = lines[i].substring(0, colon);
				String value = lines[i].substring(colon + 2);
				if (key.equals("body-bytes")) {
					bodyBytes = Integer.parseInt(value);
				}
				else {
					headers.put(key, value);
				}
			}
			return new Echo(backend, lines[1].substring(0, space), lines[1].substring(space + 1), headers, bodyBytes);
		}

	}

}
