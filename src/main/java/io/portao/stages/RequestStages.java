package io.portao.stages;

import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.core.Ordered;

/**
 * The stages of a request on the gateway path, in the order they run, and the order each of Portão's filters takes
 * from them: server limits → client address → static files → routing → upstream choice → attempt → client →
 * response → access log. Every filter's {@code @Order} (or {@code getOrder()}, where it stands in for one of
 * Spring Cloud Gateway's or is a header filter) names one of these constants, so this class is where to read, or
 * change, the request's path. The lanes ({@code io.portao.lane}) run the same
 * stages through the same classes, ahead of WebFlux.
 *
 * <p>Each nested class holds the orders of one kind of filter, which Spring sorts among their own kind only;
 * within a kind no two of Portão's filters share an order ({@code RequestStagesIntegrationTests}). The kinds hold
 * constants only.
 */
public final class RequestStages {

	private RequestStages() {
	}

	/** {@code HttpHandlerDecoratorFactory} beans, around WebFlux's whole handling of a request. */
	public static final class Handler {

		/** The access log line, written when the response is complete (nginx logs after the response, too). */
		public static final int ACCESS_LOG = 0;

	}

	/** {@code WebFilter}s, around static files and routing; outermost first. */
	public static final class Web {

		/**
		 * Ends the upstream attempt the exchange relayed once the exchange ends, after the last body byte (Spring
		 * Cloud Gateway writes it outside the gateway filters): outermost, so nothing written later is missed.
		 */
		public static final int ATTEMPT_COMPLETION = Ordered.HIGHEST_PRECEDENCE;

		/** The client address (nginx's realip module), before anything that logs, refuses or proxies. */
		public static final int CLIENT_ADDRESS = ATTEMPT_COMPLETION + 1;

		/** The access log's entry on the exchange, so that even a refused request's line has the client address. */
		public static final int ACCESS_LOG_ENTRY = CLIENT_ADDRESS + 1;

		/** Server limits: the request target check ({@code 400}), before the disk and any route. */
		public static final int REQUEST_TARGET = ACCESS_LOG_ENTRY + 1;

	}

	/** WebFlux handler mappings: static files, then the gateway's routes. */
	public static final class Mapping {

		/**
		 * Static locations, ahead of the gateway's {@code RoutePredicateHandlerMapping} (order 1): nginx's
		 * {@code location /static/} wins over {@code location /} for its prefix.
		 */
		public static final int STATIC_FILES = 0;

	}

	/** Gateway {@code GlobalFilter}s, after a route matched; Spring Cloud Gateway's own sit between them. */
	public static final class Gateway {

		/**
		 * {@code proxy_set_header Host $http_host}: marks the exchange first, so the routing filter sends the
		 * client's {@code Host}.
		 */
		public static final int PRESERVE_HOST = Ordered.HIGHEST_PRECEDENCE;

		/** {@code proxy_next_upstream}: wraps the balancer's choice, so a failed attempt can choose again. */
		public static final int NEXT_UPSTREAM = ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER - 1;

		/** Upstream choice: Portão's balancer filter takes Spring Cloud Gateway's place and order. */
		public static final int UPSTREAM_CHOICE = ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER;

		/** The client's request target, byte for byte, into the chosen instance's URL (nginx forwards it raw). */
		public static final int RAW_REQUEST_TARGET = UPSTREAM_CHOICE + 1;

		/**
		 * {@code portao.limits.max-connections-per-instance}: refuses before the attempt starts, so a refusal is
		 * not counted as an answer of the instance it never reached.
		 */
		public static final int INSTANCE_CONNECTION_LIMIT = RAW_REQUEST_TARGET + 1;

		/** The attempt: per-instance accounting (in flight, ejection, latency) from here to the last byte. */
		public static final int ATTEMPT = INSTANCE_CONNECTION_LIMIT + 1;

		/** The attempt's {@code $upstream_addr}, {@code $upstream_status}, {@code $upstream_response_time}. */
		public static final int ATTEMPT_LOG = ATTEMPT + 1;

		/** Reactor Netty's default client headers taken off, just before the client sends. */
		public static final int CLIENT_DEFAULT_HEADERS = NettyRoutingFilter.ORDER - 1;

		/**
		 * The client: Portão's routing filter (the response timeout on the event loop) takes Spring Cloud Gateway's
		 * {@code NettyRoutingFilter}'s place and order; the response comes back through every stage above.
		 */
		public static final int CLIENT = NettyRoutingFilter.ORDER;

	}

	/**
	 * {@code HttpHeadersFilter}s of the request to the instance, applied in order after Spring Cloud Gateway's own
	 * (which remove hop-by-hop and forwarded headers); the header lines go out in the order they are added.
	 */
	public static final class Headers {

		/** {@code X-Forwarded-For} when {@code portao.send-x-forwarded-for} is on, before X-Real-IP as today. */
		public static final int X_FORWARDED_FOR = Ordered.LOWEST_PRECEDENCE - 1;

		/** {@code X-Real-IP} and {@code X-Scheme}, last, as the reference configuration's lines. */
		public static final int REAL_IP = Ordered.LOWEST_PRECEDENCE;

	}

	/** Lanes ahead of WebFlux ({@code io.portao.lane.Lane}), asked in this order. */
	public static final class Lanes {

		/** Plain {@code GET}s of static files. */
		public static final int STATIC_FILES = 0;

		/** Proxied {@code GET}s without a body, on routes the proxy lane can serve exactly. */
		public static final int PROXY = Ordered.LOWEST_PRECEDENCE;

	}

	/** {@code WebExceptionHandler}s: the answer to an upstream fault. */
	public static final class Response {

		/** 502/503/504 as nginx words them, ahead of Boot's error handler (order -1). */
		public static final int UPSTREAM_ERRORS = -2;

	}

}
