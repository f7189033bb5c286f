package io.portao.limits;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.ReferenceCountUtil;

/**
 * The HTTP/1.1 request limits Reactor Netty lacks, checked on the decoded request before it reaches the gateway
 * or a lane ({@code io.portao.lane}, ahead of Spring's HTTP adapter): the version, method and target form
 * ({@link RequestLineRules}), ambiguous framing ({@link FramingRules}), the {@code Host} value
 * ({@link HostSyntax}), a malformed chunk ({@code 400}), too many header fields ({@code 431}), a
 * {@code Content-Length} over the body cap ({@code 413} at once, nginx {@code client_max_body_size}), and a body
 * (chunked or not) that grows past the cap while it streams ({@code 413}, or the connection ended if a response
 * already started). Either way the connection is ended and nothing more is written on it, so the instance never
 * receives the rest of the body and the client cannot send a next request on it. It also times the pauses of a
 * body ({@link BodyReadDeadline}, nginx {@code client_body_timeout}).
 *
 * <p>Every close of the connection, this handler's or Reactor Netty's, while a request body may still be
 * arriving is a {@link LingeringClose} instead, so that a client still writing that body reads the answer. A body
 * already streaming to an instance when it was refused stays open, and the instance's request unfinished, until
 * the lingering ends: then the close cuts it, as a close at once did before (the instance never gets a complete
 * request).
 */
final class RequestLimitsHandler extends ChannelDuplexHandler {

	private final long maxBodyBytes;

	private final int maxHeaderCount;

	private final LingeringClose.Bounds lingering;

	private final long bodyReadTimeoutNanos;

	private BodyReadDeadline bodyDeadline;

	/** The connection is being closed (or lingers): a pending body is no longer timed. */
	private boolean closing;

	private long bodyBytes;

	/** Refused: what the client still sends is dropped, and nothing more is written. */
	private boolean discarding;

	private boolean responseStarted;

	/** A request head arrived and its body did not end yet, or the decoder gave up (it drops what follows). */
	private boolean bodyPending;

	RequestLimitsHandler(long maxBodyBytes, int maxHeaderCount, LingeringClose.Bounds lingering,
			long bodyReadTimeoutNanos) {
		this.maxBodyBytes = (maxBodyBytes > 0) ? maxBodyBytes : Long.MAX_VALUE;
		this.maxHeaderCount = maxHeaderCount;
		this.lingering = lingering;
		this.bodyReadTimeoutNanos = bodyReadTimeoutNanos;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.bodyDeadline = new BodyReadDeadline(ctx, this.bodyReadTimeoutNanos, () -> bodyReadTimedOut(ctx));
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		this.bodyDeadline.cancel();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		this.bodyDeadline.cancel();
		ctx.fireChannelInactive();
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		if (this.bodyPending && !this.discarding && !this.closing) {
			this.bodyDeadline.readWithBodyPending();
		}
		else {
			this.bodyDeadline.bodyEnded();
		}
		ctx.fireChannelReadComplete();
	}

	/**
	 * What Netty's {@code ReadTimeoutHandler} did when Reactor Netty's {@code readTimeout} ran it: the request's
	 * handlers get {@link ReadTimeoutException} as the body's error, then the connection is closed (lingering, as any
	 * close with a body still arriving).
	 */
	private void bodyReadTimedOut(ChannelHandlerContext ctx) {
		ctx.fireExceptionCaught(ReadTimeoutException.INSTANCE);
		close(ctx, ctx.newPromise());
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof HttpObject object) {
			track(object);
		}
		if (this.discarding) {
			ReferenceCountUtil.release(msg);
			return;
		}
		if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
			this.bodyBytes = 0;
			this.responseStarted = false;
			HttpResponseStatus refusal = refusal(request);
			if (refusal != null) {
				reject(ctx, msg, refusal);
				return;
			}
		}
		if (msg instanceof HttpContent content && !(msg instanceof HttpRequest)) {
			if (content.decoderResult().isFailure()) {
				// A malformed chunk: passed on, Reactor Netty would end the body cleanly and the instance would
				// receive a complete (empty or cut) request the client never sent. Cut it instead.
				reject(ctx, msg, HttpResponseStatus.BAD_REQUEST);
				return;
			}
			this.bodyBytes += content.content().readableBytes();
			if (this.bodyBytes > this.maxBodyBytes) {
				reject(ctx, msg, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
				return;
			}
		}
		ctx.fireChannelRead(msg);
	}

	private void track(HttpObject message) {
		if (message.decoderResult().isFailure()) {
			// The decoder's placeholder for a bad head (a full request) or chunk (a last content): what the
			// client still sends, the decoder throws away unread.
			this.bodyPending = true;
			return;
		}
		if (message instanceof HttpRequest) {
			this.bodyPending = true;
		}
		if (message instanceof LastHttpContent) {
			this.bodyPending = false;
		}
	}

	/** In nginx's order: the request line, then the headers, then the method; then Portão's own limits. */
	private HttpResponseStatus refusal(HttpRequest request) {
		HttpResponseStatus line = RequestLineRules.refusal(request);
		if (line != null) {
			return line;
		}
		HttpResponseStatus framing = FramingRules.refusal(request);
		if (framing != null) {
			return framing;
		}
		if (!HostSyntax.validHeader(request.headers().get(HttpHeaderNames.HOST))) {
			return HttpResponseStatus.BAD_REQUEST;
		}
		if (RequestLineRules.notAllowed(request.method())) {
			return HttpResponseStatus.METHOD_NOT_ALLOWED;
		}
		if (request.headers().size() > this.maxHeaderCount) {
			return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
		}
		if (HttpUtil.getContentLength(request, -1L) > this.maxBodyBytes) {
			return HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
		}
		return null;
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (this.discarding) {
			// After a refusal the gateway may still answer the refused request (an instance answering early): the
			// client has its answer, or its response was cut on purpose. Taken as written: failed, Reactor Netty
			// would log an error for it and try a 500 on a connection that is only lingering.
			ReferenceCountUtil.release(msg);
			promise.trySuccess();
			return;
		}
		if (msg instanceof HttpResponse response && response.status().code() >= 200) {
			this.responseStarted = true;
		}
		ctx.write(msg, promise);
	}

	@Override
	public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
		this.closing = true;
		this.bodyDeadline.bodyEnded();
		if (this.bodyPending && this.lingering.enabled() && ctx.channel().isActive()) {
			LingeringClose.begin(ctx, this.lingering, promise);
		}
		else {
			ctx.close(promise);
		}
	}

	private void reject(ChannelHandlerContext ctx, Object msg, HttpResponseStatus status) {
		ReferenceCountUtil.release(msg);
		this.discarding = true;
		if (this.responseStarted) {
			// Too late for a status: ending the connection is the only signal left, and it stops the upload. What
			// was sent stays readable: close(), not ctx.close(), so that the close lingers.
			close(ctx, ctx.newPromise());
			return;
		}
		// A body to read, as nginx's error pages: clients and their users otherwise see a bare status line.
		byte[] body = (status.code() + " " + status.reasonPhrase() + "\n").getBytes(StandardCharsets.US_ASCII);
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
				Unpooled.wrappedBuffer(body));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
			.set(HttpHeaderNames.CONTENT_LENGTH, body.length)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		// Written from this handler's context, so write() does not drop it; CLOSE closes the channel from the
		// pipeline's tail, through close(): the close lingers.
		ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

}
