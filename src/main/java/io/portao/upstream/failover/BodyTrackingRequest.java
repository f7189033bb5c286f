package io.portao.upstream.failover;

import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * Remembers whether the request body started streaming to an instance: once it has, the body is gone (it is
 * streamed, not buffered) and the request can no longer go to another instance. A request without a body
 * (no {@code Content-Length} above 0, no {@code Transfer-Encoding}, RFC 9112 §6.3) never touches the connection,
 * so it can be sent again as often as needed.
 */
final class BodyTrackingRequest extends ServerHttpRequestDecorator {

	private final boolean hasBody;

	private volatile boolean bodyStarted;

	BodyTrackingRequest(ServerHttpRequest delegate) {
		super(delegate);
		HttpHeaders headers = delegate.getHeaders();
		this.hasBody = headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
	}

	@Override
	public Flux<DataBuffer> getBody() {
		if (!this.hasBody) {
			return Flux.empty();
		}
		return super.getBody().doOnSubscribe(subscription -> this.bodyStarted = true);
	}

	/** Whether the request has a body at all (RFC 9112 §6.3). */
	boolean hasBody() {
		return this.hasBody;
	}

	boolean bodyStarted() {
		return this.bodyStarted;
	}

}
