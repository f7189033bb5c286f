package io.portao.upstream.failover;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.http.HttpMethod;

import io.portao.errors.UpstreamUnavailableException;
import io.portao.upstream.AttemptResult;
import io.portao.upstream.InstanceAttempt;
import io.portao.upstream.NextUpstreamPolicy;
import io.portao.upstream.RequestAttempts;
import io.portao.upstream.Upstream;
import io.portao.upstream.UpstreamCondition;
import io.portao.upstream.UpstreamProperties;
import io.portao.upstream.UpstreamRegistry;
import io.portao.upstream.UpstreamStatusException;
import io.portao.upstream.UpstreamTimeoutException;

/**
 * Failover: whether a client request goes on to the next instance after one attempt failed or answered a status
 * the upstream passes on (nginx {@code proxy_next_upstream}), decided here and nowhere else. The gateway path
 * ({@link NextUpstreamFilter}) and the proxy lane ({@code io.portao.proxy.UpstreamCall}) both ask it, so that the
 * two pass a request on (or not) for the same reasons, spend the same retry budget and log the same lines.
 *
 * <p>Whether another instance may be tried: the condition ({@link NextUpstreamPolicy}: error, timeout, a 50x the
 * upstream lists, and never a non-idempotent method or a body already sent unless {@code non_idempotent}),
 * {@code next-upstream-tries} and {@code next-upstream-timeout}, an untried instance left, and the retry budget,
 * drawn last so that only retries that happen are counted.
 */
public final class Failover {

	/** One logger for both paths' retry lines, so that operators filter on one name. */
	private static final Log logger = LogFactory.getLog(Failover.class);

	private final UpstreamRegistry registry;

	public Failover(UpstreamRegistry registry) {
		this.registry = registry;
	}

	/**
	 * The attempt to {@code authority} (null when the balancer found none) failed with {@code error}: {@code null}
	 * when the request goes on to the next instance, otherwise the error to answer with (502, 503 or 504).
	 */
	@Nullable
	public Throwable failed(Upstream upstream, RequestAttempts attempts, @Nullable String authority, Throwable error,
			HttpMethod method, boolean bodyStarted, String rawPath) {
		if (authority == null) {
			return noInstanceLeft(upstream.name(), attempts, error);
		}
		UpstreamCondition condition = NextUpstreamPolicy.conditionOf(error);
		if (condition == null) {
			return error;
		}
		attempts.failed(authority, error);
		boolean retry = NextUpstreamPolicy.mayRetry(upstream.settings().nextUpstream(), error, method, bodyStarted)
				&& mayTryAnother(upstream, attempts, authority, method, rawPath);
		if (!retry) {
			return (condition == UpstreamCondition.TIMEOUT)
					? new UpstreamTimeoutException(upstream.name(), authority, error)
					: unavailable(upstream.name(), attempts);
		}
		logRetry(upstream, attempts, NextUpstreamPolicy.describe(error), method, rawPath);
		return null;
	}

	/**
	 * Response headers with {@code status} (0: none) arrived from {@code authority}: {@code true} when the request
	 * goes on to the next instance ({@code next-upstream http_50x}; the attempt is ended here), {@code false} when
	 * the response goes to the client (a retry that got an answer gives its share of the budget back).
	 */
	public boolean passOn(Upstream upstream, RequestAttempts attempts, int status, @Nullable String authority, HttpMethod method,
			boolean bodyStarted, String rawPath) {
		if (status == 0 || authority == null
				|| !(NextUpstreamPolicy.mayRetry(upstream.settings().nextUpstream(), status, method, bodyStarted)
						&& mayTryAnother(upstream, attempts, authority, method, rawPath))) {
			if (status != 0 && !UpstreamCondition.matchesStatus(upstream.settings().nextUpstream(), status)) {
				refundRetry(upstream, attempts);
			}
			return false;
		}
		String cause = "http " + status;
		InstanceAttempt current = attempts.current();
		if (current != null) {
			current.end(AttemptResult.Outcome.RESPONSE, cause);
		}
		attempts.failed(authority, new UpstreamStatusException(status));
		logRetry(upstream, attempts, cause, method, rawPath);
		return true;
	}

	/**
	 * nginx {@code proxy_next_upstream_tries} and {@code _timeout}, an untried instance left, and the retry
	 * budget, checked last so that only retries that happen are counted.
	 */
	private boolean mayTryAnother(Upstream upstream, RequestAttempts attempts, String failed, HttpMethod method,
			String rawPath) {
		UpstreamProperties settings = upstream.settings();
		long now = this.registry.now();
		int tries = settings.nextUpstreamTries();
		long timeout = settings.nextUpstreamTimeout().toMillis();
		if ((tries > 0 && attempts.count() >= tries) || (timeout > 0 && now - attempts.startedAt() >= timeout)) {
			return false;
		}
		int tried = attempts.triedCount() + (attempts.hasTried(failed) ? 0 : 1);
		if (tried >= upstream.size()) {
			return false;
		}
		if (!upstream.retryBudget().tryWithdraw(now)) {
			logger.warn("upstream '" + upstream.name() + "': retry budget spent (retries that failed again), "
					+ "not retrying " + method + " " + rawPath);
			return false;
		}
		attempts.budgetDrawn(now);
		return true;
	}

	/** The retry got an answer: failover, not load on a failing upstream; its share of the budget goes back. */
	private static void refundRetry(Upstream upstream, RequestAttempts attempts) {
		long drawn = attempts.takeBudgetDrawn();
		if (drawn >= 0) {
			upstream.retryBudget().refund(drawn);
		}
	}

	private static void logRetry(Upstream upstream, RequestAttempts attempts, String cause, HttpMethod method,
			String rawPath) {
		logger.warn("upstream '" + upstream.name() + "' instance " + attempts.lastFailure().instance() + ": " + cause
				+ " while " + method + " " + rawPath + ", trying the next instance");
	}

	private static Throwable noInstanceLeft(String upstream, RequestAttempts attempts, Throwable error) {
		// The balancer found no untried instance: every one failed (502), or there were none at all (503).
		if (error instanceof NotFoundException && attempts.lastFailure() != null) {
			return unavailable(upstream, attempts);
		}
		return error;
	}

	private static UpstreamUnavailableException unavailable(String upstream, RequestAttempts attempts) {
		RequestAttempts.Failure last = attempts.lastFailure();
		return new UpstreamUnavailableException(upstream, NextUpstreamPolicy.describe(last.error())
				+ " (last tried " + last.instance() + ")", last.error());
	}

}
