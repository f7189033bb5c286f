package io.portao.limits;

import io.netty.channel.ChannelPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;

/**
 * Applies {@link LimitsProperties} to the public Reactor Netty server. The HTTP/2 limits are
 * {@link Http2LimitsCustomizer}'s, which must run after Boot's own customizer; the body read timeout is
 * {@link RequestLimitsHandler}'s {@link BodyReadDeadline} on HTTP/1.1 and {@link Http2BodyReadTimeout} on HTTP/2
 * streams (not Reactor Netty's {@code readTimeout}: see {@link BodyReadDeadline}); the rest are
 * {@link HeaderDeadline} and {@link RequestLimitsHandler} (with its {@link LingeringClose}), added to every new
 * connection, which {@link WebSocketGoingAway} also tracks.
 */
record LimitsServerCustomizer(LimitsProperties limits, WebSocketGoingAway goingAway) implements NettyServerCustomizer {

	@Override
	public HttpServer apply(HttpServer server) {
		return server.childObserve(new Http2BodyReadTimeout(this.limits.bodyReadTimeout()))
			.doOnChannelInit((observer, channel, remote) -> {
				this.goingAway.track(channel);
				install(channel.pipeline());
			});
	}

	private void install(ChannelPipeline pipeline) {
		LingeringClose.Bounds lingering = LingeringClose.Bounds.of(this.limits);
		HeaderDeadline.install(pipeline, this.limits.headerTimeout(), () -> new RequestLimitsHandler(
				this.limits.maxBodySize().toBytes(), this.limits.maxHeaderCount(), lingering,
				this.limits.bodyReadTimeout().toNanos()));
	}

}
