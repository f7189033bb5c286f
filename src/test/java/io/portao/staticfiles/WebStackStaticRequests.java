package io.portao.staticfiles;

import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * A source for a test gateway that counts the static requests reaching its web filters, that is, the ones the lane
 * left to the web stack. A plain class, not a {@code @Configuration}: component scanning never picks it up, so it is
 * only in the gateways that name it. Each integration test class runs in its own JVM, so the count is that class's.
 */
class WebStackStaticRequests {

	static final AtomicInteger COUNT = new AtomicInteger();

	/** Every request that reached the web filters, static or not. */
	static final AtomicInteger ALL = new AtomicInteger();

	@Bean
	WebFilter countingStaticRequests() {
		return new CountingFilter();
	}

	/** First of the web filters, so that it also sees the requests the request target check refuses. */
	static final class CountingFilter implements WebFilter, Ordered {

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
			ALL.incrementAndGet();
			if (exchange.getRequest().getURI().getRawPath().startsWith("/static")) {
				COUNT.incrementAndGet();
			}
			return chain.filter(exchange);
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

}
