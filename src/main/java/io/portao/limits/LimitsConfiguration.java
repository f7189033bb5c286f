package io.portao.limits;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The client-side limits of {@link LimitsProperties}: Netty handlers on the public server for the header
 * deadline, header count and body cap; Reactor Netty's own body read timeout and HTTP/2 settings; and, when set,
 * the per-instance in-flight limit; and on shutdown a {@code 1001} close frame to every WebSocket client.
 */
@Configuration(proxyBeanMethods = false)
public class LimitsConfiguration {

	@Bean
	NettyServerCustomizer limitsServerCustomizer(LimitsProperties limits, WebSocketGoingAway webSocketGoingAway) {
		return new LimitsServerCustomizer(limits, webSocketGoingAway);
	}

	@Bean
	Http2LimitsCustomizer http2LimitsCustomizer(LimitsProperties limits) {
		return new Http2LimitsCustomizer(limits);
	}

	@Bean
	WebSocketGoingAway webSocketGoingAway() {
		return new WebSocketGoingAway();
	}

	@Bean
	RequestTargetFilter requestTargetFilter() {
		return new RequestTargetFilter();
	}

	@Bean
	@ConditionalOnExpression("${portao.limits.max-connections-per-instance:0} > 0")
	InstanceConnectionLimitFilter instanceConnectionLimitFilter(LimitsProperties limits) {
		return new InstanceConnectionLimitFilter(limits.maxConnectionsPerInstance());
	}

}
