package io.portao.limits;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.timeout.ReadTimeoutHandler;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerState;

/**
 * {@code portao.limits.body-read-timeout} on HTTP/2 streams, which {@link BodyReadDeadline} (an HTTP/1.1
 * connection's) does not see: a stream's request body that pauses longer ends the stream with
 * {@code ReadTimeoutException}, as Reactor Netty's own {@code readTimeout} did before Portão stopped setting it
 * (that one also ran for every HTTP/1.1 request). The handler is the one Reactor Netty added, under its name, to
 * the stream's pipeline when the request arrives with a body to come (a request whose {@code HEADERS} ended the
 * stream has none: Netty marks a body to come as {@code Transfer-Encoding: chunked} when the client sent no
 * {@code Content-Length}); it leaves at the body's end, so an answer slower than the timeout is not cut.
 */
final class Http2BodyReadTimeout implements ConnectionObserver {

	private final long timeoutMillis;

	Http2BodyReadTimeout(Duration timeout) {
		this.timeoutMillis = timeout.toMillis();
	}

	@Override
	public void onStateChange(Connection connection, State newState) {
		if (newState == HttpServerState.REQUEST_RECEIVED && connection.channel() instanceof Http2StreamChannel
				&& connection instanceof HttpServerRequest request && bodyToCome(request.requestHeaders())) {
			connection.addHandlerFirst(NettyPipeline.ReadTimeoutHandler, new UntilTheBodyEnds(this.timeoutMillis));
		}
	}

	private static boolean bodyToCome(HttpHeaders headers) {
		return headers.contains(HttpHeaderNames.TRANSFER_ENCODING)
				|| headers.getInt(HttpHeaderNames.CONTENT_LENGTH, 0) > 0;
	}

	private static final class UntilTheBodyEnds extends ReadTimeoutHandler {

		UntilTheBodyEnds(long timeoutMillis) {
			super(timeoutMillis, TimeUnit.MILLISECONDS);
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
			boolean last = msg instanceof LastHttpContent;
			super.channelRead(ctx, msg);
			if (last && !ctx.isRemoved()) {
				ctx.pipeline().remove(this);
			}
		}

	}

}
