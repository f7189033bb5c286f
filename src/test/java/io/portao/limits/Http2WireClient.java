package io.portao.limits;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * A raw HTTP/2 client over TLS (ALPN {@code h2}) to 127.0.0.1 that writes exactly the frames a test asks for and
 * records every frame the server sends. It keeps no stream state of its own, unlike Netty's
 * {@code Http2FrameCodec}, whose client side obeys the server's {@code MAX_CONCURRENT_STREAMS} and so could not
 * exceed it, and which would not send {@code RST_STREAM} as fast as an attacker does.
 */
final class Http2WireClient implements AutoCloseable {

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

	private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();

	private final List<ReceivedFrame> frames = new ArrayList<>();

	private final int port;

	private volatile ChannelHandlerContext context;

	private Channel channel;

	private boolean closed;

	private Http2WireClient(int port) {
		this.port = port;
	}

	/**
	 * Connects, completes TLS with ALPN {@code h2}, sends the preface and an empty SETTINGS frame; returns once they
	 * are written.
	 */
	static Http2WireClient connect(int port, X509Certificate trusted) throws Exception {
		Http2WireClient client = new Http2WireClient(port);
		try {
			client.open(trusted);
			return client;
		}
		catch (Exception | Error ex) {
			client.close();
			throw ex;
		}
	}

	private void open(X509Certificate trusted) throws Exception {
		SslContext ssl = SslContextBuilder.forClient()
			.trustManager(trusted)
			.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
					ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
					ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
			.build();
		this.channel = new Bootstrap().group(this.group)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
			.handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel ch) {
					ch.pipeline().addLast(ssl.newHandler(ch.alloc(), "127.0.0.1", Http2WireClient.this.port));
					ch.pipeline().addLast(new Reader());
				}
			})
			.connect("127.0.0.1", this.port)
			.sync()
			.channel();
		SslHandler tls = this.channel.pipeline().get(SslHandler.class);
		if (!tls.handshakeFuture().await(10, TimeUnit.SECONDS) || !tls.handshakeFuture().isSuccess()) {
			throw new IllegalStateException("TLS handshake failed", tls.handshakeFuture().cause());
		}
		if (!ApplicationProtocolNames.HTTP_2.equals(tls.applicationProtocol())) {
			throw new IllegalStateException("ALPN chose " + tls.applicationProtocol() + ", not h2");
		}
		write(ctx -> ((Reader) ctx.handler()).preface(ctx));
	}

	/** Request headers for a GET of {@code path}. */
	Http2Headers get(String path) {
		return new DefaultHttp2Headers().method("GET").scheme("https").authority("127.0.0.1:" + this.port).path(path);
	}

	/** Writes HEADERS (END_STREAM) for GET {@code path} on each of {@code streamIds}, then flushes once. */
	void requests(String path, int... streamIds) throws Exception {
		write(ctx -> {
			for (int id : streamIds) {
				this.writer.writeHeaders(ctx, id, get(path), 0, true, ctx.newPromise());
			}
		});
	}

	/**
	 * Writes HEADERS (no END_STREAM) for a POST of {@code path} with {@code contentLength} on {@code streamId}: the
	 * body is still to come, in {@link #data} frames.
	 */
	void post(String path, int streamId, int contentLength) throws Exception {
		Http2Headers headers = get(path).method("POST").setInt("content-length", contentLength);
		write(ctx -> this.writer.writeHeaders(ctx, streamId, headers, 0, false, ctx.newPromise()));
	}

	/** Writes a DATA frame of {@code bytes} on {@code streamId}, with END_STREAM if {@code last}. */
	void data(int streamId, byte[] bytes, boolean last) throws Exception {
		write(ctx -> this.writer.writeData(ctx, streamId, Unpooled.wrappedBuffer(bytes), 0, last, ctx.newPromise()));
	}

	/** Writes RST_STREAM({@code error}) on {@code streamId}. */
	void reset(int streamId, Http2Error error) throws Exception {
		write(ctx -> this.writer.writeRstStream(ctx, streamId, error.code(), ctx.newPromise()));
	}

	/** Writes PING({@code data}); the server's answer is recorded as a {@code PING_ACK} frame with that stream id. */
	void ping(int data) throws Exception {
		write(ctx -> this.writer.writePing(ctx, false, data, ctx.newPromise()));
	}

	/** Writes HEADERS then RST_STREAM(CANCEL) for each stream, all in one flush (HTTP/2 Rapid Reset). */
	void rapidReset(String path, int... streamIds) throws Exception {
		write(ctx -> {
			for (int id : streamIds) {
				this.writer.writeHeaders(ctx, id, get(path), 0, true, ctx.newPromise());
				this.writer.writeRstStream(ctx, id, Http2Error.CANCEL.code(), ctx.newPromise());
			}
		});
	}

	// Every write runs on the event loop: the HPACK encoder is not thread-safe and frames must keep their order.
	private void write(Consumer<ChannelHandlerContext> frames) throws Exception {
		ChannelHandlerContext ctx = this.context;
		ctx.executor().submit(() -> {
			frames.accept(ctx);
			ctx.flush();
		}).get(10, TimeUnit.SECONDS);
	}

	/** Waits up to {@code timeout} for the frames received so far to satisfy {@code condition}. */
	boolean await(Predicate<List<ReceivedFrame>> condition, Duration timeout) throws InterruptedException {
		return awaitState(() -> condition.test(this.frames), timeout);
	}

	/** Waits up to {@code timeout} for the server to close the connection. */
	boolean awaitClosed(Duration timeout) throws InterruptedException {
		return awaitState(() -> this.closed, timeout);
	}

	private synchronized boolean awaitState(BooleanSupplier state, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!state.getAsBoolean()) {
			long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
			if (left <= 0) {
				return false;
			}
			wait(left);
		}
		return true;
	}

	/** A copy of the frames received so far. */
	synchronized List<ReceivedFrame> frames() {
		return List.copyOf(this.frames);
	}

	@Override
	public synchronized String toString() {
		return "frames from 127.0.0.1:" + this.port + (this.closed ? " (closed)" : "") + ": " + this.frames;
	}

	synchronized boolean isClosed() {
		return this.closed;
	}

	private synchronized void received(ReceivedFrame frame) {
		this.frames.add(frame);
		notifyAll();
	}

	private synchronized void closedByServer() {
		this.closed = true;
		notifyAll();
	}

	@Override
	public void close() throws InterruptedException {
		try {
			if (this.channel != null) {
				this.channel.close().await(5, TimeUnit.SECONDS);
			}
		}
		finally {
			this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
		}
	}

	/** Decodes the server's frames after TLS, acknowledges its SETTINGS and refills the connection window. */
	private final class Reader extends ChannelInboundHandlerAdapter {

		private final DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader();

		private final Listener listener = new Listener();

		private boolean prefaceSent;

		// TLS hands over whatever a record held: a frame can end in the next read. DefaultHttp2FrameReader leaves
		// an incomplete frame unread and expects the caller to keep those bytes (as Netty's own decoder does with
		// ByteToMessageDecoder's cumulation); releasing them desynchronised the frame stream.
		private final ByteBuf unread = Unpooled.buffer();

		// The preface must be the client's first bytes (RFC 9113 section 3.4): sent on the event loop before the
		// SETTINGS ACK that the server's first frame triggers could be.
		private void preface(ChannelHandlerContext ctx) {
			if (!this.prefaceSent) {
				this.prefaceSent = true;
				ctx.write(Http2CodecUtil.connectionPrefaceBuf());
				Http2WireClient.this.writer.writeSettings(ctx, new Http2Settings(), ctx.newPromise());
				ctx.flush();
			}
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
			if (event instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess()) {
				preface(ctx);
			}
			ctx.fireUserEventTriggered(event);
		}

		@Override
		public void handlerAdded(ChannelHandlerContext ctx) {
			Http2WireClient.this.context = ctx;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
			ByteBuf bytes = (ByteBuf) msg;
			preface(ctx);
			try {
				this.unread.writeBytes(bytes);
			}
			finally {
				bytes.release();
			}
			this.reader.readFrame(ctx, this.unread, this.listener);
			this.unread.discardSomeReadBytes();
			ctx.flush();
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			closedByServer();
		}

		@Override
		public void handlerRemoved(ChannelHandlerContext ctx) {
			this.unread.release();
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			received(new ReceivedFrame("EXCEPTION " + cause, 0, 0, null, null, false));
			ctx.close();
		}

	}

	private final class Listener extends Http2EventAdapter {

		@Override
		public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
			received(new ReceivedFrame("SETTINGS", 0, 0, null, settings, false));
			Http2WireClient.this.writer.writeSettingsAck(ctx, ctx.newPromise());
		}

		@Override
		public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
				boolean endStream) {
			received(new ReceivedFrame("HEADERS", streamId, 0, headers, null, endStream));
		}

		@Override
		public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
				short weight, boolean exclusive, int padding, boolean endStream) {
			onHeadersRead(ctx, streamId, headers, padding, endStream);
		}

		@Override
		public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
			int bytes = data.readableBytes() + padding;
			received(new ReceivedFrame("DATA", streamId, 0, null, null, endOfStream));
			if (bytes > 0) {
				Http2WireClient.this.writer.writeWindowUpdate(ctx, 0, bytes, ctx.newPromise());
			}
			return bytes;
		}

		@Override
		public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
			received(new ReceivedFrame("RST_STREAM", streamId, errorCode, null, null, false));
		}

		@Override
		public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
			received(new ReceivedFrame("GOAWAY", lastStreamId, errorCode, null, null, false,
					debugData.toString(java.nio.charset.StandardCharsets.UTF_8)));
		}

		@Override
		public void onPingRead(ChannelHandlerContext ctx, long data) {
			Http2WireClient.this.writer.writePing(ctx, true, data, ctx.newPromise());
		}

		@Override
		public void onPingAckRead(ChannelHandlerContext ctx, long data) {
			received(new ReceivedFrame("PING_ACK", (int) data, 0, null, null, false));
		}

	}

}
