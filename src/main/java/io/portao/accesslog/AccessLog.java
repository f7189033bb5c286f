package io.portao.accesslog;

import java.net.InetSocketAddress;
import java.util.function.Function;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.NetUtil;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import io.portao.upstream.AttemptLog;

/**
 * Writes one line per request, from the web stack ({@link AccessLogHttpHandler}) and from the lanes ahead of it
 * ({@code io.portao.lane}): one format, one writer, so a request's line does not depend on which path served it.
 */
public final class AccessLog {

	/** nginx logs 499 when the client closed the connection before the response was sent. */
	static final int CLIENT_CLOSED = 499;

	private final AccessLogFormat format;

	private final AccessLogWriter writer;

	AccessLog(AccessLogFormat format, AccessLogWriter writer) {
		this.format = format;
		this.writer = writer;
	}

	/**
	 * {@code call}, with the line of the request a lane serves written when it ends (completed, failed or
	 * cancelled), as {@link AccessLogHttpHandler} writes it around the web stack: the time runs from now, and
	 * {@code bodyBytes} is what the lane writes. The client is the TCP peer: a lane never takes a request from a
	 * trusted proxy, whose client would come from {@code X-Forwarded-For}.
	 */
	public Mono<Void> logged(Mono<Void> call, HttpServerRequest request, HttpServerResponse response, long bodyBytes) {
		AccessLogEntry entry = new AccessLogEntry();
		entry.bodyBytes = bodyBytes;
		return call.doFinally(signal -> log(request, response, entry, signal));
	}

	/**
	 * A proxied request a lane serves: {@code call} is given the line's {@link AttemptLog} and the line is written
	 * when it ends, as {@link #logged} writes it.
	 */
	public Mono<Void> proxied(Function<AttemptLog, Mono<Void>> call, HttpServerRequest request,
			HttpServerResponse response) {
		AccessLogEntry entry = new AccessLogEntry();
		return call.apply(entry).doFinally(signal -> log(request, response, entry, signal));
	}

	private void log(HttpServerRequest request, HttpServerResponse response, AccessLogEntry entry, SignalType signal) {
		int status = (signal == SignalType.CANCEL && !response.hasSentHeaders()) ? CLIENT_CLOSED
				: response.status().code();
		log(LoggedRequest.of(request), status, peer(request.remoteAddress()), entry);
	}

	/**
	 * Writes the line of a request a lane below Reactor Netty's HTTP layer answered with {@code status} and
	 * {@code bodyBytes} of body, begun at {@code startNanos} ({@link System#nanoTime()}): the line
	 * {@link #logged} writes for the same request.
	 */
	public void log(HttpRequest request, InetSocketAddress peer, int status, long bodyBytes, long startNanos) {
		AccessLogEntry entry = new AccessLogEntry(startNanos);
		entry.bodyBytes = bodyBytes;
		log(LoggedRequest.of(request), status, peer(peer), entry);
	}

	/** The peer as {@code ClientAddress} writes an untrusted one (RFC 5952 text), {@code -} without one. */
	private static String peer(InetSocketAddress remote) {
		return (remote != null && remote.getAddress() != null) ? NetUtil.toAddressString(remote.getAddress()) : "-";
	}

	/** Writes the line of a request that ended now. */
	void log(LoggedRequest request, int status, String clientAddress, AccessLogEntry entry) {
		long now = System.nanoTime();
		entry.ended(now);
		this.writer.write(this.format.format(request, status, clientAddress, entry, System.currentTimeMillis(), now));
	}

}
