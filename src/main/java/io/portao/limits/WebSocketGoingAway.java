package io.portao.limits;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * On shutdown, every client WebSocket gets a close frame {@code 1001 Going Away} (RFC 6455 §7.4.1) before the
 * graceful shutdown waits for in-flight exchanges: the client can reconnect at once (to another replica) instead
 * of seeing its connection cut when the grace period ends. Reactor Netty's graceful shutdown waits for active
 * exchanges but has no notion of telling a WebSocket peer to leave.
 *
 * <p>{@link ContextClosedEvent} is published before the web server's graceful-shutdown lifecycle stops, so the
 * frames go out first; the client's answering close frame then ends each proxied session normally.
 */
public class WebSocketGoingAway implements ApplicationListener<ContextClosedEvent> {

	private static final Log logger = LogFactory.getLog(WebSocketGoingAway.class);

	private final ChannelGroup connections = new DefaultChannelGroup("portao-connections", GlobalEventExecutor.INSTANCE);

	/** Tracks a client connection of the public server (closed ones leave the group by themselves). */
	void track(Channel channel) {
		this.connections.add(channel);
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		int sent = 0;
		for (Channel channel : this.connections) {
			if (channel.isActive() && channel.pipeline().get(WebSocketFrameEncoder.class) != null) {
				channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE));
				sent++;
			}
		}
		if (sent > 0) {
			logger.info("Shutting down: sent 1001 Going Away to " + sent + " WebSocket client(s)");
		}
	}

}
