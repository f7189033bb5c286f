package io.portao.staticfiles;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.HttpConnectionLiveness;
import reactor.netty.http.IdleTimeoutHandler;

import io.portao.accesslog.AccessLog;
import io.portao.framework.SpringExchange;
import io.portao.lane.LaneRecorder;

/**
 * The static lane one layer lower: a plain file {@code GET} on a cleartext HTTP/1.1 connection answered in the
 * connection's pipeline, between the HTTP codec and Reactor Netty's {@code HttpTrafficHandler}, so that no
 * {@code HttpServerOperations} (its receive and send sides, its connection observers, two {@code epoll_ctl} calls
 * to stop and resume reading) is made for it. What it answers, and how, is {@link StaticFileLane}'s: the same
 * conditions ({@link StaticFileLane#takes}), the same file and headers ({@link StaticFileLane#find}), the same
 * recorder and access log. Every other request, and any it cannot answer exactly, goes on to Reactor Netty
 * untouched (where the route lane or Spring answers it).
 *
 * <p>What Reactor Netty's handler does per connection, it does here for the requests it answers:
 * <ul>
 * <li><b>order</b>: it answers only while Reactor Netty has no request in hand ({@code pending}, its
 * operations unbound), and writes the whole response before it reads on, so pipelined responses keep their
 * requests' order;</li>
 * <li><b>keep-alive</b>: it counts its requests on Reactor Netty's own per-connection counter, so
 * {@code server.netty.max-keep-alive-requests} counts every request, and closes after the last one with
 * {@code Connection: close}, as Reactor Netty does;</li>
 * <li><b>idle timeout</b>: Reactor Netty's idle handler stays while a response is written at once; a response
 * that is not (a slow client, a large file) takes it off until it is sent, as Reactor Netty does for each
 * request, and puts it back after;</li>
 * <li><b>reading</b>: Reactor Netty reads on demand (no auto-read); it asks for the next read once a response
 * is sent;</li>
 * <li><b>shutdown</b>: its responses in flight are counted ({@link StaticFileDrain}), so a graceful shutdown waits
 * for them as Reactor Netty waits for its own.</li>
 * </ul>
 * Installed on cleartext connections without response compression only (a TLS or compressed response needs the
 * file read into buffers, which the route lane does); HTTP/2 and upgraded connections never reach it.
 */
final class StaticFileHandler extends ChannelDuplexHandler {

	static final String NAME = "portao.staticFiles";

	private final StaticFileLane lane;

	private final StaticFileDrain drain;

	private final int maxKeepAliveRequests;

	/** Requests handed on to Reactor Netty whose final responses are not written yet. */
	private int pending;

	/** Responses of this handler not sent whole yet. */
	private int sending;

	/** The rest of a request this handler answered, to drop. */
	private boolean dropContent;

	/** Answered the connection's last request ({@code Connection: close}): what follows is dropped. */
	private boolean closing;

	StaticFileHandler(StaticFileLane lane, StaticFileDrain drain, int maxKeepAliveRequests) {
		this.lane = lane;
		this.drain = drain;
		this.maxKeepAliveRequests = maxKeepAliveRequests;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (this.closing) {
			ReferenceCountUtil.release(msg);
			return;
		}
		if (msg instanceof HttpRequest request) {
			this.dropContent = false;
			if (this.pending == 0 && this.sending == 0 && answered(ctx, request)) {
				this.dropContent = !(msg instanceof LastHttpContent);
				ReferenceCountUtil.release(msg);
				return;
			}
			this.pending++;
		}
		else if (this.dropContent && msg instanceof HttpContent) {
			this.dropContent = !(msg instanceof LastHttpContent);
			ReferenceCountUtil.release(msg);
			return;
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		// Reactor Netty's responses only (this handler writes from its own context, below itself): the last part
		// of a final response ends a request it was handed; a 100 Continue is a whole message but not the answer.
		if (msg instanceof LastHttpContent && this.pending > 0 && !(msg instanceof HttpResponse response
				&& response.status().codeClass() == HttpStatusClass.INFORMATIONAL)) {
			this.pending--;
		}
		ctx.write(msg, promise);
	}

	private boolean answered(ChannelHandlerContext ctx, HttpRequest request) {
		// The lane's method and prefix test first: a request for another location (every proxied one) is turned
		// away before the header look-ups of answerable().
		StaticSite.Mapping mapping = this.lane.taken(request.method(), request.uri(), request.headers(),
				(InetSocketAddress) ctx.channel().remoteAddress());
		if (mapping == null || !answerable(ctx.channel(), request)) {
			return false;
		}
		StaticFileLane.Found found = this.lane.find(mapping, request.uri());
		if (found == null) {
			return false;
		}
		LaneRecorder recorder = this.lane.recorder(found.mapping());
		if (!recorder.recordsDirectly()) {
			found.opened().release();
			return false;
		}
		long startNanos = System.nanoTime();
		long start = recorder.start();
		boolean keepAlive = counted(ctx.channel());
		HttpHeaders headers = found.headers();
		if (!keepAlive) {
			headers = DefaultHttpHeadersFactory.headersFactory().newHeaders().add(headers);
			headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
			this.closing = true;
		}
		long size = found.file().size();
		this.sending++;
		this.drain.begin();
		ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, headers));
		ByteBuf copy = FileBody.copy(found.opened(), found.file());
		if (copy == null && size > 0) {
			ctx.write(FileBody.region(found.opened(), size));
		}
		else if (copy == null) {
			found.opened().release();
		}
		ChannelFuture sent = ctx.writeAndFlush(
				(copy != null) ? new DefaultLastHttpContent(copy) : LastHttpContent.EMPTY_LAST_CONTENT);
		Duration idleTimeout = sent.isDone() ? null : idleTimeoutRemoved(ctx.pipeline());
		sent.addListener(future -> {
			this.sending--;
			this.drain.end();
			boolean aborted = !future.isSuccess();
			recorder.record(start, HttpResponseStatus.OK.code(), aborted, () -> SpringExchange.of(request, 200));
			AccessLog accessLog = this.lane.accessLog();
			if (accessLog != null) {
				accessLog.log(request, (InetSocketAddress) ctx.channel().remoteAddress(), 200, size, startNanos);
			}
			if (aborted || !keepAlive) {
				ctx.channel().close();
			}
			else if (this.pending == 0 && this.sending == 0) {
				if (idleTimeout != null && ChannelOperations.get(ctx.channel()) == null) {
					IdleTimeoutHandler.addIdleTimeoutHandler(ctx.pipeline(), idleTimeout, HttpConnectionLiveness.CLOSE);
				}
				ctx.read();
			}
		});
		return true;
	}

	/**
	 * A plain HTTP/1.1 {@code GET} without a body, an upgrade, an expectation or a {@code Connection} option but
	 * {@code keep-alive}, while Reactor Netty holds no request of this connection and the server is not shutting
	 * down (whether the static lane takes it is {@link StaticFileLane#find}'s to say).
	 */
	private boolean answerable(Channel channel, HttpRequest request) {
		if (request.protocolVersion() != HttpVersion.HTTP_1_1 || !request.decoderResult().isSuccess()
				|| this.drain.draining()) {
			return false;
		}
		HttpHeaders headers = request.headers();
		if (!persistentByDefault(headers) || headers.contains(HttpHeaderNames.CONTENT_LENGTH)
				|| headers.contains(HttpHeaderNames.TRANSFER_ENCODING) || headers.contains(HttpHeaderNames.EXPECT)
				|| headers.contains(HttpHeaderNames.UPGRADE) || ChannelOperations.get(channel) != null) {
			return false;
		}
		return true;
	}

	/**
	 * No {@code Connection} header, or only {@code Connection: keep-alive}, which browsers send on cleartext
	 * HTTP/1.1 and which changes nothing there (RFC 9112 section 9.3: persistent is the default; Reactor Netty's
	 * answer to it carries no {@code Connection} field either). Any other option ({@code close}, {@code Upgrade},
	 * a header named as hop-by-hop) is Reactor Netty's to handle.
	 */
	private static boolean persistentByDefault(HttpHeaders headers) {
		String connection = headers.get(HttpHeaderNames.CONNECTION);
		return connection == null || (HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(connection)
				&& headers.getAll(HttpHeaderNames.CONNECTION).size() == 1);
	}

	/**
	 * Counts the request on Reactor Netty's per-connection request counter (the connection object is an
	 * {@link AtomicLong}, which its handler reads for {@code maxKeepAliveRequests}); whether the connection stays
	 * open after it.
	 */
	private boolean counted(Channel channel) {
		if (Connection.from(channel) instanceof AtomicLong requests) {
			long count = requests.incrementAndGet();
			return this.maxKeepAliveRequests < 0 || count < this.maxKeepAliveRequests;
		}
		return true;
	}

	/** Reactor Netty's idle handler taken off while a response is being sent; its timeout, if there was one. */
	@Nullable
	private static Duration idleTimeoutRemoved(ChannelPipeline pipeline) {
		if (pipeline.get(NettyPipeline.IdleTimeoutHandler) instanceof IdleStateHandler idle) {
			pipeline.remove(idle);
			return Duration.ofMillis(idle.getAllIdleTimeInMillis());
		}
		return null;
	}

}
