package io.portao.proxy;

import java.time.Duration;
import java.util.ArrayDeque;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

import io.portao.upstream.UpstreamTimeouts;

/** An instance's response: its headers, and its body as the client's side asks for it. */
final class ChannelAnswer {

	private final ChannelExchange exchange;

	private final HttpResponse response;

	private final Flux<ByteBuf> body;

	@Nullable
	private FluxSink<ByteBuf> sink;

	/** What came before the client's side subscribed to the body (the rest of the read that brought the head). */
	@Nullable
	private ArrayDeque<ByteBuf> early;

	private boolean complete;

	@Nullable
	private Throwable failure;

	ChannelAnswer(ChannelExchange exchange, HttpResponse response) {
		this.exchange = exchange;
		this.response = response;
		this.body = Flux.<ByteBuf>create(sink -> this.exchange.onLoop(() -> subscribed(sink)))
			.doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease);
	}

	int status() {
		return this.response.status().code();
	}

	HttpHeaders headers() {
		return this.response.headers();
	}

	/** The body, once: buffers the client's side has not asked for yet are held, and released if it leaves. */
	Flux<ByteBuf> body() {
		return this.body;
	}

	/** nginx {@code proxy_read_timeout} between two reads of the body (the upstream's {@code idle-timeout}). */
	void watchIdle(Duration idle) {
		if (!idle.isZero()) {
			this.exchange.onLoop(() -> {
				ChannelPipeline pipeline = this.exchange.context.pipeline();
				if (this.exchange.answer == this && pipeline.get(UpstreamTimeouts.IDLE_HANDLER) == null) {
					pipeline.addFirst(UpstreamTimeouts.IDLE_HANDLER, UpstreamTimeouts.idleHandler(idle));
				}
			});
		}
	}

	/** The client's side does not want this response (another instance is tried, or the client left). */
	void discard() {
		this.exchange.onLoop(() -> {
			releaseEarly();
			if (this.exchange.answer == this) {
				this.exchange.answer = null;
				this.exchange.end(false);
			}
		});
	}

	private void subscribed(FluxSink<ByteBuf> sink) {
		this.sink = sink;
		sink.onRequest(requested -> this.exchange.onLoop(this.exchange::readMore));
		sink.onCancel(this::discard);
		if (this.early != null) {
			ByteBuf bytes;
			while ((bytes = this.early.poll()) != null) {
				sink.next(bytes);
			}
			this.early = null;
		}
		if (this.failure != null) {
			sink.error(this.failure);
		}
		else if (this.complete) {
			sink.complete();
		}
	}

	/**
	 * The body, when the instance's response was read whole before anyone asked for it and is as long as the
	 * {@code Content-Length} of the headers {@code sent} to the client (one buffer, or the buffers of its reads
	 * joined), else {@code null}. Taken instead of {@link #body()}: the client's side then writes headers and body
	 * at once, with the same header lines as a stream (the {@code Transfer-Encoding: chunked} Reactor Netty starts
	 * every response with is dropped both ways when a {@code Content-Length} is set). A response without one is
	 * relayed as a stream: written whole, it would get a {@code Content-Length} instead of chunks.
	 */
	@Nullable
	ByteBuf whole(HttpHeaders sent) {
		if (!this.complete || this.failure != null || this.sink != null) {
			return null;
		}
		int length = sent.getInt(HttpHeaderNames.CONTENT_LENGTH, -1);
		ArrayDeque<ByteBuf> buffers = this.early;
		int size = 0;
		if (buffers != null) {
			for (ByteBuf each : buffers) {
				size += each.readableBytes();
			}
		}
		if (size != length) {
			return null;
		}
		this.early = null;
		if (buffers == null || buffers.isEmpty()) {
			return Unpooled.EMPTY_BUFFER;
		}
		if (buffers.size() == 1) {
			return buffers.poll();
		}
		CompositeByteBuf joined = buffers.peek().alloc().compositeBuffer(buffers.size());
		ByteBuf each;
		while ((each = buffers.poll()) != null) {
			joined.addComponent(true, each);
		}
		return joined;
	}

	boolean wantsMore() {
		return this.sink != null && this.sink.requestedFromDownstream() > 0;
	}

	void deliver(ByteBuf bytes) {
		if (this.sink != null) {
			this.sink.next(bytes);
			return;
		}
		if (this.early == null) {
			this.early = new ArrayDeque<>(2);
		}
		this.early.add(bytes);
	}

	void complete() {
		this.complete = true;
		if (this.sink != null) {
			this.sink.complete();
		}
	}

	void error(Throwable error) {
		this.failure = error;
		if (this.sink != null) {
			this.sink.error(error);
		}
	}

	private void releaseEarly() {
		if (this.early != null) {
			this.early.forEach(ReferenceCountUtil::safeRelease);
			this.early = null;
		}
	}

}
