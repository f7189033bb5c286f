package io.portao.limits;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The client-side limits of {@link LimitsProperties}: Netty handlers on the public server for the header
 * deadline, header count and body cap; Reactor Netty's own body read timeout and HTTP/2 settings; and, when set,
 * the per-instance in-flight limit; and on shutdown a {@code 1001} close frame to every WebSocket client.
 */
@Configuration(proxyBeanMethods = false)
@Import({ LimitsServerCustomizer.class, Http2LimitsCustomizer.class, WebSocketGoingAway.class,
		RequestTargetFilter.class })
public class LimitsConfiguration {

	@Bean
	@ConditionalOnExpression("${portao.limits.max-connections-per-instance:0} > 0")
	InstanceConnectionLimitFilter instanceConnectionLimitFilter(LimitsProperties limits) {
		return new InstanceConnectionLimitFilter(limits.maxConnectionsPerInstance());
	}

}
