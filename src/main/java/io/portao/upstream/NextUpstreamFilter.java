package io.portao.upstream;

import java.net.URI;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

/**
 * nginx {@code proxy_next_upstream} for every {@code lb://} route: runs the balancer and the proxy call, and when
 * an attempt fails (or answers 502/503/504, if configured) before anything went to the client and
 * {@link NextUpstreamPolicy}, {@code next-upstream-tries}, {@code next-upstream-timeout} and the retry budget (which retries that get an answer do not spend) allow
 * it, runs them again, the balancer skipping every instance already tried.
 *
 * <p>Ordered just before the load-balancer filter ({@link LeanLoadBalancerClientFilter}, in the place of Spring Cloud
 * Gateway's {@link ReactiveLoadBalancerClientFilter}) so that each attempt re-runs the balancer and
 * {@code NettyRoutingFilter}. {@code NettyRoutingFilter} only sets the status and headers
 * on the exchange's response; the body is written later by {@code NettyWriteResponseFilter}, outside this filter,
 * so a 5xx is still unwritten when it is retried ({@link ServerWebExchangeUtils#reset} drops its headers and
 * connection) and nothing is retried once bytes reached the client. Spring's {@code Retry} filter is not used: it
 * caches request bodies, may pick the failed instance again and has no budget.
 */
public class NextUpstreamFilter implements GlobalFilter, Ordered {

	/** Runs right before the load balancer. */
	public static final int ORDER = ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER - 1;

	private static final Log logger = LogFactory.getLog(NextUpstreamFilter.class);

	private final UpstreamRegistry registry;

	private final UpstreamTimeouts timeouts = new UpstreamTimeouts();

	public NextUpstreamFilter(UpstreamRegistry registry) {
		this.registry = registry;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
		if (url == null || !"lb".equals(url.getScheme())) {
			return chain.filter(exchange);
		}
		long now = this.registry.now();
		Upstream upstream = this.registry.upstream(url.getHost());
		upstream.retryBudget().deposit(now);
		BodyTrackingRequest request = new BodyTrackingRequest(exchange.getRequest());
		ServerWebExchange tracked = exchange.mutate().request(request).build();
		Attempts attempts = new Attempts(upstream.name(), now, NextUpstreamPolicy
			.passesOnTimeouts(upstream.settings().nextUpstream(), request.getMethod(), request.hasBody()));
		tracked.getAttributes().put(Attempts.ATTRIBUTE, attempts);
		this.timeouts.applyTo(tracked, upstream.settings());
		return attempt(new Call(tracked, chain, url, request, attempts, upstream));
	}

	private Mono<Void> attempt(Call call) {
		call.exchange.getAttributes().remove(GATEWAY_LOADBALANCER_RESPONSE_ATTR);
		// failed() and responded() each see only this attempt's outcome, not the outcome of the retries they start.
		return call.chain.filter(call.exchange)
			.then(Mono.just(Boolean.TRUE))
			.onErrorResume(error -> failed(call, error).then(Mono.empty()))
			.flatMap(routed -> responded(call));
	}

	/** Response headers arrived: hand them to the client, or pass a 502/503/504 on to the next instance. */
	private Mono<Void> responded(Call call) {
		HttpStatusCode status = call.exchange.getResponse().getStatusCode();
		ServiceInstance instance = chosen(call.exchange);
		if (status == null || instance == null || !passOn(call, status.value(), instance)) {
			if (status != null && !UpstreamCondition.matchesStatus(call.upstream.settings().nextUpstream(),
					status.value())) {
				refundRetry(call);
			}
			UpstreamTimeouts.watchIdle(call.exchange, call.upstream.settings());
			return Mono.empty();
		}
		String cause = "http " + status.value();
		UpstreamAttempt current = call.attempts.current();
		if (current != null) {
			current.end(AttemptOutcome.RESPONSE, cause);
		}
		call.attempts.failed(Upstream.authority(instance), new UpstreamStatusException(status.value()));
		logRetry(call, cause);
		return retry(call);
	}

	/** {@code next-upstream http_50x}: the status, the method and the limits all allow another instance. */
	private boolean passOn(Call call, int status, ServiceInstance instance) {
		return NextUpstreamPolicy.mayRetry(call.upstream.settings().nextUpstream(), status, call.request.getMethod(),
				call.request.bodyStarted()) && mayTryAnother(call, instance);
	}

	private Mono<Void> failed(Call call, Throwable error) {
		ServiceInstance instance = chosen(call.exchange);
		if (instance == null) {
			return Mono.error(noInstanceLeft(call.upstream.name(), call.attempts, error));
		}
		UpstreamCondition condition = NextUpstreamPolicy.conditionOf(error);
		if (condition == null) {
			return Mono.error(error);
		}
		call.attempts.failed(instance, error);
		boolean retry = NextUpstreamPolicy.mayRetry(call.upstream.settings().nextUpstream(), error,
				call.request.getMethod(), call.request.bodyStarted()) && mayTryAnother(call, instance);
		if (!retry) {
			return Mono.error((condition == UpstreamCondition.TIMEOUT)
					? new UpstreamTimeoutException(call.upstream.name(), Upstream.authority(instance), error)
					: unavailable(call.upstream.name(), call.attempts));
		}
		logRetry(call, NextUpstreamPolicy.describe(error));
		return retry(call);
	}

	/**
	 * nginx {@code proxy_next_upstream_tries} and {@code _timeout}, an untried instance left, and the retry
	 * budget, checked last so that only retries that happen are counted.
	 */
	private boolean mayTryAnother(Call call, ServiceInstance failed) {
		UpstreamProperties settings = call.upstream.settings();
		long now = this.registry.now();
		int tries = settings.nextUpstreamTries();
		long timeout = settings.nextUpstreamTimeout().toMillis();
		if ((tries > 0 && call.attempts.count() >= tries) || (timeout > 0 && now - call.attempts.startedAt() >= timeout)) {
			return false;
		}
		int tried = call.attempts.triedCount() + (call.attempts.hasTried(Upstream.authority(failed)) ? 0 : 1);
		if (tried >= call.upstream.size()) {
			return false;
		}
		if (!call.upstream.retryBudget().tryWithdraw(now)) {
			logger.warn("upstream '" + call.upstream.name() + "': retry budget spent (retries that failed again), "
					+ "not retrying " + call.request.getMethod() + " " + call.request.getURI().getRawPath());
			return false;
		}
		call.attempts.budgetDrawn(now);
		return true;
	}

	/** The retry got an answer: failover, not load on a failing upstream; its share of the budget goes back. */
	private static void refundRetry(Call call) {
		long drawn = call.attempts.takeBudgetDrawn();
		if (drawn >= 0) {
			call.upstream.retryBudget().refund(drawn);
		}
	}

	private Mono<Void> retry(Call call) {
		ServerWebExchangeUtils.reset(call.exchange);
		call.exchange.getResponse().setStatusCode(null);
		call.exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, call.lbUrl);
		return attempt(call);
	}

	private static void logRetry(Call call, String cause) {
		logger.warn("upstream '" + call.upstream.name() + "' instance " + call.attempts.lastInstance() + ": " + cause
				+ " while " + call.request.getMethod() + " " + call.request.getURI().getRawPath()
				+ ", trying the next instance");
	}

	private static Throwable noInstanceLeft(String upstream, Attempts attempts, Throwable error) {
		// The balancer found no untried instance: every one failed (502), or there were none at all (503).
		if (error instanceof NotFoundException && attempts.any()) {
			return unavailable(upstream, attempts);
		}
		return error;
	}

	private static UpstreamUnavailableException unavailable(String upstream, Attempts attempts) {
		return new UpstreamUnavailableException(upstream, NextUpstreamPolicy.describe(attempts.lastError())
				+ " (last tried " + attempts.lastInstance() + ")", attempts.lastError());
	}

	private static ServiceInstance chosen(ServerWebExchange exchange) {
		Response<ServiceInstance> response = exchange.getAttribute(GATEWAY_LOADBALANCER_RESPONSE_ATTR);
		return (response != null && response.hasServer()) ? response.getServer() : null;
	}

	/** One client request being passed from instance to instance. */
	private record Call(ServerWebExchange exchange, GatewayFilterChain chain, URI lbUrl, BodyTrackingRequest request,
			Attempts attempts, Upstream upstream) {

	}

}
