package io.portao.limits;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;

/**
 * nginx {@code client_body_timeout} on an HTTP/1.1 connection: while a request body is being read, the longest
 * pause between two reads. {@link RequestLimitsHandler} owns one per connection and tells it when a read ended
 * with a body still to come ({@link #readWithBodyPending}) and when the body ended ({@link #bodyEnded}).
 *
 * <p>Why not Reactor Netty's {@code HttpServer.readTimeout}, which did this before: it adds a
 * {@code ReadTimeoutHandler} to the pipeline for every HTTP/1.1 request, bodiless {@code GET}s included, and
 * removes it at the request's end, so every request paid for a pipeline change and a timer scheduled and cancelled
 * (4 to 11 % of a small proxied request's CPU, docs/performance.md, fifteenth round). Here a
 * request whose body ends in the read that brought its head (every {@code GET}) arms nothing, and one timer per
 * connection is re-armed only when it lapses with a body still pending, as Netty's {@code IdleStateHandler} does.
 * Time is the event loop's ticker (the system's, or a test's frozen one).
 */
final class BodyReadDeadline implements Runnable {

	private final ChannelHandlerContext ctx;

	private final long timeoutNanos;

	private final Runnable onTimeout;

	private boolean pending;

	private long lastRead;

	private ScheduledFuture<?> timer;

	BodyReadDeadline(ChannelHandlerContext ctx, long timeoutNanos, Runnable onTimeout) {
		this.ctx = ctx;
		this.timeoutNanos = timeoutNanos;
		this.onTimeout = onTimeout;
	}

	/** A read ended and the current request's body has not: the pause starts now. */
	void readWithBodyPending() {
		this.pending = true;
		this.lastRead = this.ctx.executor().ticker().nanoTime();
		if (this.timer == null) {
			this.timer = this.ctx.executor().schedule(this, this.timeoutNanos, TimeUnit.NANOSECONDS);
		}
	}

	/** The body ended (or the connection is closing): an armed timer lapses without effect. */
	void bodyEnded() {
		this.pending = false;
	}

	/** The connection is gone: nothing is left to time. */
	void cancel() {
		this.pending = false;
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
	}

	@Override
	public void run() {
		this.timer = null;
		if (!this.pending || !this.ctx.channel().isActive()) {
			return;
		}
		long pause = this.ctx.executor().ticker().nanoTime() - this.lastRead;
		if (pause >= this.timeoutNanos) {
			this.pending = false;
			this.onTimeout.run();
		}
		else {
			this.timer = this.ctx.executor().schedule(this, this.timeoutNanos - pause, TimeUnit.NANOSECONDS);
		}
	}

}
