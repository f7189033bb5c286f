package io.portao.accesslog;

import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

import io.portao.headers.ClientAddress;

/**
 * Wraps the whole web handling, error handlers included, so that the line is written once the response really
 * ended, with the status the client got (a 502 is written by an exception handler, after every web filter).
 */
record AccessLogHttpHandler(HttpHandler delegate, AccessLog log, ManagementPort managementPort) implements HttpHandler {

	@Override
	public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
		if (this.managementPort.isManagement(request)) {
			return this.delegate.handle(request, response);
		}
		AccessLogEntry entry = new AccessLogEntry();
		CountingResponse counting = new CountingResponse(response, entry);
		return this.delegate.handle(request, counting).doFinally(signal -> log(request, counting, entry, signal));
	}

	private void log(ServerHttpRequest request, ServerHttpResponse response, AccessLogEntry entry,
			SignalType signal) {
		int status = (signal == SignalType.CANCEL && !response.isCommitted()) ? AccessLog.CLIENT_CLOSED
				: status(response);
		this.log.log(LoggedRequest.of(request), status, clientAddress(request, entry.exchange), entry);
	}

	private static int status(ServerHttpResponse response) {
		HttpStatusCode status = response.getStatusCode();
		return (status != null) ? status.value() : 200;
	}

	/**
	 * {@code $remote_addr}: the client address {@link ClientAddress} resolved (the TCP peer, or the real client
	 * behind a trusted proxy, nginx {@code set_real_ip_from}), the same one {@code X-Real-IP} carries; the TCP peer
	 * when the request never reached the web filters.
	 */
	static String clientAddress(ServerHttpRequest request, ServerWebExchange exchange) {
		if (exchange == null) {
			return AccessLogFormat.remoteAddress(request.getRemoteAddress());
		}
		String client = ClientAddress.of(exchange);
		return (client != null) ? client : "-";
	}

}
