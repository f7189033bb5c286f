package io.portao.limits;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * The HTTP/1.1 request limits Reactor Netty lacks, checked on the decoded request before it reaches the gateway
 * or the static fast lane (which answers ahead of WebFlux): the version, method and target form
 * ({@link RequestLineRules}), ambiguous framing ({@link FramingRules}), the {@code Host} value
 * ({@link HostSyntax}), a malformed chunk ({@code 400}), too many header fields ({@code 431}), a
 * {@code Content-Length} over the body cap ({@code 413} at once, nginx {@code client_max_body_size}), and a body
 * (chunked or not) that grows past the cap while it streams ({@code 413}, or the connection closed if a response
 * already started). Either way the connection is closed, so the instance never receives the rest of the body and
 * the client cannot send a next request on it.
 */
final class RequestLimitsHandler extends ChannelDuplexHandler {

	private final long maxBodyBytes;

	private final int maxHeaderCount;

	private long bodyBytes;

	private boolean discarding;

	private boolean responseStarted;

	RequestLimitsHandler(long maxBodyBytes, int maxHeaderCount) {
		this.maxBodyBytes = (maxBodyBytes > 0) ? maxBodyBytes : Long.MAX_VALUE;
		this.maxHeaderCount = maxHeaderCount;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
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
		if (msg instanceof HttpResponse response && response.status().code() >= 200) {
			this.responseStarted = true;
		}
		ctx.write(msg, promise);
	}

	private void reject(ChannelHandlerContext ctx, Object msg, HttpResponseStatus status) {
		ReferenceCountUtil.release(msg);
		this.discarding = true;
		if (this.responseStarted) {
			// Too late for a status: cutting the connection is the only signal left, and it stops the upload.
			ctx.close();
			return;
		}
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
		response.headers()
			.set(HttpHeaderNames.CONTENT_LENGTH, 0)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

}
