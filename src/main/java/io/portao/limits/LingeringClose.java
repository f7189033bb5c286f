package io.portao.limits;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * nginx's lingering close ({@code lingering_close on}, {@code lingering_time}, {@code lingering_timeout}) for an
 * HTTP/1.1 connection the gateway closes while the client may still be sending its request body: after a
 * {@code 413}, a {@code 431} or {@code 400} from the decoder, or a {@code 502}/{@code 503} answered before the
 * body was read. Closing a socket with unread bytes in its receive buffer, or receiving more after the close,
 * makes the kernel answer with a reset (RFC 1122 §4.2.2.13, RFC 9293 §3.6); a client that writes its whole body
 * before reading (Python's {@code http.client}, {@code requests}) then fails in its write with
 * {@code Connection reset by peer} and never reads the answer, and even one that did read may lose it from its
 * receive buffer. RFC 9112 §9.6 asks for exactly this: half-close, keep reading, close later.
 *
 * <p>So instead of the close, this handler is put first in the pipeline (below TLS): what was written is flushed,
 * the write side is shut down (a FIN after the answer; on TLS a {@code close_notify}, as nginx's
 * {@code SSL_shutdown} before it lingers), and every byte the client still sends is read and thrown away, never
 * decoded, until the client closes, or {@code lingering-timeout} passes without a byte, or
 * {@code lingering-time} since the start, or {@code lingering-max-size} bytes; then the connection is closed.
 */
final class LingeringClose extends ChannelInboundHandlerAdapter {

	static final String NAME = "portao.lingeringClose";

	/** {@code portao.limits.lingering-*}, in nanoseconds and bytes; a {@code maxBytes} of 0 is no byte bound. */
	record Bounds(long timeNanos, long timeoutNanos, long maxBytes) {

		static Bounds of(LimitsProperties limits) {
			return new Bounds(limits.lingeringTime().toNanos(), limits.lingeringTimeout().toNanos(),
					limits.lingeringMaxSize().toBytes());
		}

		/** nginx {@code lingering_close off}: a lingering time of 0. */
		boolean enabled() {
			return this.timeNanos > 0;
		}

	}

	private final Bounds bounds;

	private final long start = System.nanoTime();

	private long lastRead = this.start;

	private long discarded;

	private ScheduledFuture<?> timer;

	private LingeringClose(Bounds bounds) {
		this.bounds = bounds;
	}

	/**
	 * Lingers on {@code ctx}'s channel instead of closing it; {@code promise}, the close's, completes when the
	 * channel is closed in the end. A second close while lingering only waits for the same end.
	 */
	static void begin(ChannelHandlerContext ctx, Bounds bounds, ChannelPromise promise) {
		Channel channel = ctx.channel();
		channel.closeFuture().addListener(closed -> promise.trySuccess());
		ChannelPipeline pipeline = channel.pipeline();
		if (pipeline.get(NAME) != null) {
			return;
		}
		// First, below TLS too: what the client still sends is dropped as it comes off the socket, never
		// decrypted. An engine whose outbound side is closed may refuse the records that follow (OpenSSL's does,
		// and the close after its error resets); nginx too reads and drops raw bytes once SSL_shutdown is sent.
		pipeline.addFirst(NAME, new LingeringClose(bounds));
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		// Completes once everything written before (the answer) has gone to the socket: only then the FIN.
		ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
			if (written.isSuccess()) {
				shutdownOutput(ctx);
			}
			else {
				ctx.close();
			}
		});
		// The request's receiver may have paused reading (no demand for a body nobody will read).
		ctx.channel().config().setAutoRead(true);
		ctx.read();
		schedule(ctx, Math.min(this.bounds.timeNanos(), this.bounds.timeoutNanos()));
	}

	private static void shutdownOutput(ChannelHandlerContext ctx) {
		SslHandler tls = ctx.pipeline().get(SslHandler.class);
		if (tls != null) {
			// close_notify, then nothing more is written; the TCP write side stays open for the TLS records the
			// engine may still need to send while it reads (and the final close sends no second close_notify).
			tls.closeOutbound();
		}
		else if (ctx.channel() instanceof DuplexChannel duplex) {
			duplex.shutdownOutput();
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof ByteBuf bytes) {
			this.discarded += bytes.readableBytes();
		}
		ReferenceCountUtil.release(msg);
		this.lastRead = System.nanoTime();
		if (this.bounds.maxBytes() > 0 && this.discarded > this.bounds.maxBytes()) {
			ctx.close();
		}
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		// Nothing above reads any more; keep reading even if it had turned auto-read off again.
		if (!ctx.channel().config().isAutoRead()) {
			ctx.read();
		}
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		// The client is done sending (FIN with half-closure allowed): so are we. Its TLS close_notify, if any,
		// is dropped with the rest; the FIN follows it.
		if (event instanceof ChannelInputShutdownEvent || event == ChannelInputShutdownReadComplete.INSTANCE) {
			ctx.close();
		}
		// Anything else (our own ChannelOutputShutdownEvent) is of no use above: the request is over.
		ReferenceCountUtil.release(event);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		// Typically the client's reset: the request already had its answer, nothing to report.
		ctx.close();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		cancel();
		ctx.fireChannelInactive();
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		cancel();
	}

	private void schedule(ChannelHandlerContext ctx, long delayNanos) {
		this.timer = ctx.executor().schedule(() -> expire(ctx), delayNanos, TimeUnit.NANOSECONDS);
	}

	/** Closes at the first bound passed; otherwise checks again when the nearer one would pass. */
	private void expire(ChannelHandlerContext ctx) {
		this.timer = null;
		long now = System.nanoTime();
		long timeLeft = this.bounds.timeNanos() - (now - this.start);
		long silenceLeft = this.bounds.timeoutNanos() - (now - this.lastRead);
		if (timeLeft <= 0 || silenceLeft <= 0) {
			ctx.close();
		}
		else {
			schedule(ctx, Math.min(timeLeft, silenceLeft));
		}
	}

	private void cancel() {
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
	}

}
