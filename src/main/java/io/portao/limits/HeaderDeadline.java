package io.portao.limits;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import reactor.netty.NettyPipeline;

/**
 * nginx {@code client_header_timeout}, HAProxy {@code timeout http-request}, Go's {@code ReadHeaderTimeout}: a
 * request head must arrive whole within {@code timeout} of its first byte, or the client gets {@code 408} and the
 * connection is closed. Reactor Netty has no such deadline: its idle timeout is reset by every byte, so a client
 * sending one header byte just under the idle timeout (slowloris) holds a connection for thousands of times that.
 *
 * <p>Two handlers share this state, one per connection: {@link #bytes()} sits before the HTTP/1.1 codec and arms
 * the timer on the first byte of a head; {@link #heads()} sits after the codec, disarms it when the decoded head
 * arrives and waits for the next head once the response has been written. Between requests the keep-alive idle
 * timeout ({@code server.netty.idle-timeout}) applies, as in nginx. HTTP/2 connections (h2 over ALPN, h2c) are
 * left alone: the frame codec bounds them ({@code maxHeaderListSize}, stream and reset limits).
 */
final class HeaderDeadline {

	static final String BYTES = "portao.headerDeadline.bytes";

	static final String HEADS = "portao.headerDeadline.heads";

	static final String NEXT = "portao.requestLimits";

	private static final byte[] REQUEST_TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n"
			+ "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

	private final long timeoutNanos;

	private boolean awaitingHead = true;

	private boolean expired;

	private boolean installed;

	/** {@link System#nanoTime()} of the current head's first byte; 0 while no head is being read. */
	private long headStart;

	private ScheduledFuture<?> timer;

	private final Supplier<ChannelHandler> next;

	private HeaderDeadline(Duration timeout, Supplier<ChannelHandler> next) {
		this.timeoutNanos = timeout.toNanos();
		this.next = next;
	}

	/**
	 * Adds the byte watcher to a new connection's pipeline (after TLS, if any). The head watcher, followed by
	 * {@code next}, is added after the HTTP/1.1 codec once that is in place: at once for plain HTTP, after ALPN
	 * for TLS.
	 */
	static void install(ChannelPipeline pipeline, Duration timeout, Supplier<ChannelHandler> next) {
		HeaderDeadline deadline = new HeaderDeadline(timeout, next);
		if (pipeline.get(NettyPipeline.SslHandler) != null) {
			pipeline.addAfter(NettyPipeline.SslHandler, BYTES, deadline.bytes());
		}
		else {
			pipeline.addFirst(BYTES, deadline.bytes());
		}
	}

	ChannelInboundHandlerAdapter bytes() {
		return new ChannelInboundHandlerAdapter() {

			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
				if (!isHttp11(ctx.pipeline())) {
					// Negotiated HTTP/2 (or an h2c upgrade): not a head this deadline applies to.
					cancel();
					ctx.pipeline().remove(this);
					ctx.fireChannelRead(msg);
					return;
				}
				if (HeaderDeadline.this.awaitingHead && HeaderDeadline.this.headStart == 0
						&& msg instanceof ByteBuf buf && buf.isReadable()) {
					HeaderDeadline.this.headStart = System.nanoTime();
				}
				ctx.fireChannelRead(msg);
				// The codec decodes synchronously: most heads arrive whole in one read and need no timer at all.
				if (HeaderDeadline.this.awaitingHead && HeaderDeadline.this.headStart != 0
						&& HeaderDeadline.this.timer == null) {
					long left = HeaderDeadline.this.timeoutNanos - (System.nanoTime() - HeaderDeadline.this.headStart);
					HeaderDeadline.this.timer = ctx.executor()
						.schedule(() -> expire(ctx), Math.max(left, 0), TimeUnit.NANOSECONDS);
				}
			}

			@Override
			public void channelInactive(ChannelHandlerContext ctx) throws Exception {
				cancel();
				ctx.fireChannelInactive();
			}

		};
	}

	ChannelDuplexHandler heads() {
		return new ChannelDuplexHandler() {

			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
				if (HeaderDeadline.this.expired) {
					// The partial head the decoder hands on when the connection closes: already answered with 408,
					// not worth a WARN with its headers per slowloris connection.
					ReferenceCountUtil.release(msg);
					return;
				}
				if (msg instanceof HttpRequest) {
					HeaderDeadline.this.awaitingHead = false;
					HeaderDeadline.this.headStart = 0;
					cancel();
				}
				ctx.fireChannelRead(msg);
			}

			@Override
			public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
				if (msg instanceof LastHttpContent) {
					HeaderDeadline.this.awaitingHead = true;
				}
				ctx.write(msg, promise);
			}

		};
	}

	/** Whether the connection still speaks HTTP/1.1, adding the head watcher once its codec is in place. */
	private boolean isHttp11(ChannelPipeline pipeline) {
		if (this.installed) {
			// After an h2c upgrade the codec is gone: expire() checks for it again before answering.
			return true;
		}
		// Named NettyPipeline.HttpCodec after ALPN, unnamed beside the h2c upgrade handler: found by type.
		ChannelHandlerContext codec = pipeline.context(HttpServerCodec.class);
		if (codec == null) {
			return false;
		}
		if (pipeline.get(HEADS) == null) {
			pipeline.addAfter(codec.name(), HEADS, heads());
			pipeline.addAfter(HEADS, NEXT, this.next.get());
		}
		this.installed = true;
		return true;
	}

	private void expire(ChannelHandlerContext ctx) {
		this.timer = null;
		if (!this.awaitingHead || !ctx.channel().isActive() || ctx.pipeline().get(HttpServerCodec.class) == null) {
			return;
		}
		this.expired = true;
		// Written below the codec: the decoder holds a partial head, the encoder has nothing to answer.
		ctx.writeAndFlush(Unpooled.wrappedBuffer(REQUEST_TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
	}

	private void cancel() {
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
	}

}
