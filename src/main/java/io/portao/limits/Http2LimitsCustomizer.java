package io.portao.limits;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import reactor.netty.http.Http2SettingsSpec;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * The HTTP/2 stream and reset limits of {@link LimitsProperties} (nginx {@code http2_max_concurrent_streams};
 * CVE-2023-44487 through Netty's {@code decoderEnforceMaxRstFramesPerWindow}). Reactor Netty's
 * {@code http2Settings(...)} replaces the whole settings spec, and Boot's own Netty customizer (order 0) calls it
 * for {@code server.max-http-request-header-size} after every {@code NettyServerCustomizer} bean: set from such a
 * bean, these limits were silently dropped (the server advertised Netty's 100 streams and allowed 200 resets per
 * 30 s whatever was configured, {@code Http2LimitsIntegrationTests}). So this runs as the last factory customizer
 * and adds to the settings already there instead of replacing them.
 */
final class Http2LimitsCustomizer implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

	private final LimitsProperties limits;

	Http2LimitsCustomizer(LimitsProperties limits) {
		this.limits = limits;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		factory.addServerCustomizers(this::apply);
	}

	HttpServer apply(HttpServer server) {
		Http2SettingsSpec current = server.configuration().http2SettingsSpec();
		return server.http2Settings(h2 -> {
			if (current != null) {
				keep(current, h2);
			}
			h2.maxConcurrentStreams(this.limits.http2MaxConcurrentStreams())
				.maxDecodedRstFramesPerWindow(this.limits.http2MaxResetFrames(),
						(int) this.limits.http2ResetWindow().toSeconds());
		});
	}

	private static void keep(Http2SettingsSpec current, Http2SettingsSpec.Builder h2) {
		h2.maxHeaderListSize(current.maxHeaderListSize());
		h2.pingAckDropThreshold(current.pingAckDropThreshold());
		// Null is "not set" in the spec; the builder takes primitives, so only what is set is carried over.
		ifSet(current.connectProtocolEnabled(), h2::connectProtocolEnabled);
		ifSet(current.headerTableSize(), h2::headerTableSize);
		ifSet(current.initialWindowSize(), h2::initialWindowSize);
		ifSet(current.maxFrameSize(), h2::maxFrameSize);
		ifSet(current.maxStreams(), h2::maxStreams);
		ifSet(current.pingAckTimeout(), h2::pingAckTimeout);
		if (current.maxEncodedRstFramesPerWindow() != null && current.maxEncodedRstFramesSecondsPerWindow() != null) {
			h2.maxEncodedRstFramesPerWindow(current.maxEncodedRstFramesPerWindow(),
					current.maxEncodedRstFramesSecondsPerWindow());
		}
	}

	private static <T> void ifSet(@Nullable T value, Consumer<T> setter) {
		if (value != null) {
			setter.accept(value);
		}
	}

}
