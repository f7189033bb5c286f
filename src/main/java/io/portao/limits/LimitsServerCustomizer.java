package io.portao.limits;

import io.netty.channel.ChannelPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;

/**
 * Applies {@link LimitsProperties} to the public Reactor Netty server. Reactor Netty's {@code readTimeout} is the
 * body read timeout (it only runs once the head is decoded); the HTTP/2 limits are {@link Http2LimitsCustomizer}'s,
 * which must run after Boot's own customizer; the rest are {@link HeaderDeadline} and
 * {@link RequestLimitsHandler} (with its {@link LingeringClose}), added to every new connection, which
 * {@link WebSocketGoingAway} also tracks.
 */
record LimitsServerCustomizer(LimitsProperties limits, WebSocketGoingAway goingAway) implements NettyServerCustomizer {

	@Override
	public HttpServer apply(HttpServer server) {
		return server.readTimeout(this.limits.bodyReadTimeout())
			.doOnChannelInit((observer, channel, remote) -> {
				this.goingAway.track(channel);
				install(channel.pipeline());
			});
	}

	private void install(ChannelPipeline pipeline) {
		LingeringClose.Bounds lingering = LingeringClose.Bounds.of(this.limits);
		HeaderDeadline.install(pipeline, this.limits.headerTimeout(), () -> new RequestLimitsHandler(
				this.limits.maxBodySize().toBytes(), this.limits.maxHeaderCount(), lingering));
	}

}
