package io.portao.limits;

import io.netty.channel.ChannelPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;

/**
 * Applies {@link LimitsProperties} to the public Reactor Netty server. Reactor Netty's {@code readTimeout} is the
 * body read timeout (it only runs once the head is decoded); its HTTP/2 settings bound streams and resets
 * (CVE-2023-44487: {@code maxDecodedRstFramesPerWindow}); the rest are {@link HeaderDeadline} and
 * {@link RequestLimitsHandler}, added to every new connection, which {@link WebSocketGoingAway} also tracks.
 */
final class LimitsServerCustomizer implements NettyServerCustomizer {

	private final LimitsProperties limits;

	private final WebSocketGoingAway goingAway;

	LimitsServerCustomizer(LimitsProperties limits, WebSocketGoingAway goingAway) {
		this.limits = limits;
		this.goingAway = goingAway;
	}

	@Override
	public HttpServer apply(HttpServer server) {
		return server.readTimeout(this.limits.bodyReadTimeout())
			.http2Settings(h2 -> h2.maxConcurrentStreams(this.limits.http2MaxConcurrentStreams())
				.maxDecodedRstFramesPerWindow(this.limits.http2MaxResetFrames(),
						(int) this.limits.http2ResetWindow().toSeconds()))
			.doOnChannelInit((observer, channel, remote) -> {
				this.goingAway.track(channel);
				install(channel.pipeline());
			});
	}

	private void install(ChannelPipeline pipeline) {
		HeaderDeadline.install(pipeline, this.limits.headerTimeout(),
				() -> new RequestLimitsHandler(this.limits.maxBodySize().toBytes(), this.limits.maxHeaderCount()));
	}

}
