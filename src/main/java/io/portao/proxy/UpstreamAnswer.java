package io.portao.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.http.client.HttpClientResponse;

import io.portao.upstream.UpstreamProperties;
import io.portao.upstream.UpstreamTimeouts;

/** Response headers from an instance, and its body to come, from either way of reaching it. */
interface UpstreamAnswer {

	int status();

	HttpHeaders headers();

	/** The body, read with the upstream's idle timeout between two reads. */
	Flux<ByteBuf> body(UpstreamProperties settings);

	/** Not relayed, or no longer: the connection is closed. */
	void discard();

	/**
	 * The body instead of {@link #body}, when it was read whole already and can go out with the headers
	 * {@code sent} as they are, else {@code null}.
	 */
	@Nullable
	default ByteBuf whole(HttpHeaders sent) {
		return null;
	}

	/** From Reactor Netty's client: the response and the connection its body comes on. */
	record FromClient(HttpClientResponse response, Connection connection) implements UpstreamAnswer {

		@Override
		public int status() {
			return this.response.status().code();
		}

		@Override
		public HttpHeaders headers() {
			return this.response.responseHeaders();
		}

		@Override
		public Flux<ByteBuf> body(UpstreamProperties settings) {
			this.connection.removeHandler(NettyPipeline.ResponseTimeoutHandler);
			UpstreamTimeouts.watchIdle(this.connection, settings);
			return this.connection.inbound().receive().retain();
		}

		@Override
		public void discard() {
			this.connection.dispose();
		}

	}

	/** From one of the lane's own channels. */
	record FromChannel(ChannelAnswer answer) implements UpstreamAnswer {

		@Override
		public int status() {
			return this.answer.status();
		}

		@Override
		public HttpHeaders headers() {
			return this.answer.headers();
		}

		@Override
		public Flux<ByteBuf> body(UpstreamProperties settings) {
			this.answer.watchIdle(settings.idleTimeout());
			return this.answer.body();
		}

		@Override
		public void discard() {
			this.answer.discard();
		}

		@Override
		public @Nullable ByteBuf whole(HttpHeaders sent) {
			return this.answer.whole(sent);
		}

	}

}
