package io.portao.accesslog;

import java.nio.file.Path;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.ZeroCopyHttpOutputMessage;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;

/**
 * Counts the body bytes written ({@code $body_bytes_sent}) and carries the request's {@link AccessLogEntry}.
 * Keeps zero-copy file transfer ({@code sendfile on}) for static files: it is a {@link ZeroCopyHttpOutputMessage}
 * that passes the file on.
 */
final class CountingResponse extends ServerHttpResponseDecorator implements ZeroCopyHttpOutputMessage {

	private final AccessLogEntry entry;

	CountingResponse(ServerHttpResponse delegate, AccessLogEntry entry) {
		super(delegate);
		this.entry = entry;
	}

	AccessLogEntry entry() {
		return this.entry;
	}

	/** The entry of the request whose response {@code response} is or wraps, or {@code null}. */
	static AccessLogEntry entryOf(ServerHttpResponse response) {
		ServerHttpResponse current = response;
		while (current instanceof ServerHttpResponseDecorator decorator) {
			if (current instanceof CountingResponse counting) {
				return counting.entry;
			}
			current = decorator.getDelegate();
		}
		return null;
	}

	@Override
	public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
		if (body instanceof Mono<? extends DataBuffer> mono) {
			return super.writeWith(mono.doOnNext(this::count));
		}
		return super.writeWith(Flux.from(body).doOnNext(this::count));
	}

	@Override
	public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
		return super.writeAndFlushWith(Flux.from(body).map(chunk -> Flux.from(chunk).doOnNext(this::count)));
	}

	@Override
	public Mono<Void> writeWith(Path file, long position, long count) {
		this.entry.bodyBytes += count;
		return ((ZeroCopyHttpOutputMessage) getDelegate()).writeWith(file, position, count);
	}

	private void count(DataBuffer buffer) {
		this.entry.bodyBytes += buffer.readableByteCount();
	}

}
