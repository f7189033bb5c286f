package io.portao.proxy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.MonoSink;

import io.portao.framework.EventLoopTimeoutRoutingFilter;
import io.portao.upstream.ClosedBeforeResponseException;
import io.portao.upstream.UpstreamTimeouts;

/**
 * One upstream channel's request and response at a time, on its event loop ({@link UpstreamChannels}): writes the
 * request, answers with the response headers, then relays the body as the client's side asks for it (the channel
 * does not read on its own, so a slow client slows the instance down instead of filling memory), and hands the
 * channel back when the response was read whole on a keep-alive connection. Every failure closes the channel. The
 * response timeout and the idle timeout fail as on Reactor Netty's client ({@link ReadTimeoutException}).
 */
final class ChannelExchange extends ChannelInboundHandlerAdapter {

	/** Told once per exchange that it ended, and whether the channel may serve another one. */
	interface Ended {

		void ended(Channel channel, boolean reusable);

	}

	private final String address;

	private final Ended ended;

	ChannelHandlerContext context;

	/** Waiting for the response headers. */
	@Nullable
	private MonoSink<ChannelAnswer> waiting;

	/** Relaying the body. */
	@Nullable
	ChannelAnswer answer;

	@Nullable
	private ScheduledFuture<?> timeout;

	private boolean busy;

	private boolean keepAlive;

	/** Inside an interim (1xx) response, which is not relayed. */
	private boolean interim;

	ChannelExchange(String address, Ended ended) {
		this.address = address;
		this.ended = ended;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext context) {
		this.context = context;
	}

	/** Sends {@code request}; {@code sink} gets the answer at its headers. Called on the channel's loop. */
	void send(HttpRequest request, MonoSink<ChannelAnswer> sink, @Nullable Duration responseTimeout) {
		this.busy = true;
		this.waiting = sink;
		this.answer = null;
		this.interim = false;
		sink.onCancel(() -> onLoop(() -> cancelled(sink)));
		if (responseTimeout != null) {
			this.timeout = this.context.executor()
				.schedule(() -> timedOut(sink, responseTimeout), responseTimeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		this.context.writeAndFlush(request).addListener(written -> {
			if (!written.isSuccess()) {
				fail(written.cause());
			}
		});
		this.context.read();
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		if (!this.busy) {
			// Bytes on an idle channel (a second response to one request): it cannot be trusted with another.
			ReferenceCountUtil.release(message);
			context.close();
			return;
		}
		// A response Netty could not decode (a garbage status line, conflicting Content-Length): its cause fails the
		// exchange, as Reactor Netty's client fails it (nginx: "upstream sent invalid header", 502).
		if (message instanceof DecoderResultProvider decoded && decoded.decoderResult().isFailure()) {
			ReferenceCountUtil.release(message);
			fail(decoded.decoderResult().cause());
			return;
		}
		if (message instanceof HttpResponse response) {
			head(response);
		}
		if (message instanceof HttpContent content) {
			body(content);
		}
		else if (!(message instanceof HttpResponse)) {
			ReferenceCountUtil.release(message);
		}
	}

	private void head(HttpResponse response) {
		int status = response.status().code();
		if (status >= 100 && status < 200 && status != 101) {
			this.interim = true;
			return;
		}
		cancelTimeout();
		this.keepAlive = HttpUtil.isKeepAlive(response);
		if (this.waiting == null) {
			end(false);
			return;
		}
		// Announced when this read is decoded (channelReadComplete) or at the body's end, whichever comes first: a
		// response read whole in one read is then relayed whole, headers and body in one write to the client.
		this.answer = new ChannelAnswer(this, response);
	}

	/** Hands the response, its headers read, to the one waiting for it (once). */
	private void announce(@Nullable ChannelAnswer current) {
		MonoSink<ChannelAnswer> sink = this.waiting;
		if (sink != null && current != null) {
			this.waiting = null;
			sink.success(current);
		}
	}

	private void body(HttpContent content) {
		ChannelAnswer current = this.answer;
		if (this.interim || current == null) {
			content.release();
			if (this.interim && content instanceof LastHttpContent) {
				this.interim = false;
			}
			return;
		}
		ByteBuf bytes = content.content();
		if (bytes.isReadable()) {
			current.deliver(bytes);
		}
		else {
			bytes.release();
		}
		if (content instanceof LastHttpContent) {
			// No longer the exchange's before it is announced: whoever discards the whole response (another instance
			// is tried) leaves the channel to be reused.
			this.answer = null;
			current.complete();
			announce(current);
			end(this.keepAlive);
		}
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext context) {
		announce(this.answer);
		if (this.waiting != null || this.interim || (this.answer != null && this.answer.wantsMore())) {
			context.read();
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) {
		fail((this.waiting != null && this.answer == null) ? new ClosedBeforeResponseException(this.address)
				: new IOException("Connection to " + this.address + " closed during the response"));
		context.fireChannelInactive();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
		if (!this.busy) {
			context.close();
			return;
		}
		fail(cause);
	}

	private void timedOut(MonoSink<ChannelAnswer> sink, Duration timeout) {
		if (this.waiting == sink) {
			this.waiting = null;
			sink.error(EventLoopTimeoutRoutingFilter.responseTimedOut(ReadTimeoutException.INSTANCE, timeout));
			end(false);
		}
	}

	private void cancelled(MonoSink<ChannelAnswer> sink) {
		if (this.waiting == sink) {
			this.waiting = null;
			cancelTimeout();
			ChannelAnswer unannounced = this.answer;
			this.answer = null;
			if (unannounced != null) {
				unannounced.discard();
			}
			end(false);
		}
	}

	private void fail(Throwable error) {
		// Headers read and not yet announced: they go out first and the body fails, as when they came in a read of
		// their own.
		announce(this.answer);
		MonoSink<ChannelAnswer> sink = this.waiting;
		ChannelAnswer current = this.answer;
		this.waiting = null;
		this.answer = null;
		cancelTimeout();
		if (sink != null) {
			sink.error(error);
		}
		else if (current != null) {
			current.error(error);
		}
		end(false);
	}

	/** The exchange is over: the channel goes back to its pool, or is closed. */
	void end(boolean reusable) {
		if (!this.busy) {
			return;
		}
		this.busy = false;
		if (this.context.pipeline().get(UpstreamTimeouts.IDLE_HANDLER) != null) {
			this.context.pipeline().remove(UpstreamTimeouts.IDLE_HANDLER);
		}
		Channel channel = this.context.channel();
		boolean reuse = reusable && channel.isActive();
		if (!reuse) {
			channel.close();
		}
		else {
			// An idle channel keeps a read pending, so that the kernel's read interest is not dropped and set again per
			// request (two epoll_ctl calls), and a close or stray bytes from the instance are seen at once.
			this.context.read();
		}
		this.ended.ended(channel, reuse);
	}

	private void cancelTimeout() {
		if (this.timeout != null) {
			this.timeout.cancel(false);
			this.timeout = null;
		}
	}

	void onLoop(Runnable task) {
		if (this.context.executor().inEventLoop()) {
			task.run();
		}
		else {
			this.context.executor().execute(task);
		}
	}

	void readMore() {
		if (this.answer != null) {
			this.context.read();
		}
	}

}
