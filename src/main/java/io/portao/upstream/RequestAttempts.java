package io.portao.upstream;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.SignalType;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;

/**
 * The instances one client request has tried so far, kept in an exchange attribute so that the balancer, which
 * sees the attributes through Spring Cloud's {@link RequestDataContext}, never picks one of them again.
 */
public final class RequestAttempts {

	public static final String ATTRIBUTE = RequestAttempts.class.getName();

	private final String upstream;

	/** When the first attempt was about to start, epoch millis. */
	private final long startedAt;

	private final boolean releasable;

	/** The attempt whose response is being relayed, ended when the exchange ends. */
	private InstanceAttempt current;

	/** Allocated on the first failure only: most requests succeed at their first attempt. */
	private Set<String> tried = Set.of();

	@Nullable
	private Failure lastFailure;

	private int count;

	/** When the retry budget was last drawn on for this request, epoch millis; -1 when it holds nothing of it. */
	private long budgetDrawnAt = -1;

	public RequestAttempts(String upstream, long startedAt, boolean releasable) {
		this.upstream = upstream;
		this.startedAt = startedAt;
		this.releasable = releasable;
	}

	/**
	 * Whether this request's attempts may be released early when a timeout ejects their instance
	 * ({@link TimeoutEjectionRelease}): a timeout would pass it on anyway.
	 */
	public boolean releasable() {
		return this.releasable;
	}

	/** Attempts started so far (nginx {@code proxy_next_upstream_tries} counts these). */
	public int count() {
		return this.count;
	}

	/** An attempt starts: it is the current one. */
	public void started(InstanceAttempt attempt) {
		this.current = attempt;
		this.count++;
	}

	/** When the first attempt was about to start, epoch millis (nginx {@code proxy_next_upstream_timeout}). */
	public long startedAt() {
		return this.startedAt;
	}

	/** Instances this request tried and left. */
	public int triedCount() {
		return this.tried.size();
	}

	public boolean hasTried(String authority) {
		return this.tried.contains(authority);
	}

	/** The attempt in progress, or {@code null} before the first one. */
	public InstanceAttempt current() {
		return this.current;
	}

	String upstream() {
		return this.upstream;
	}

	/** The exchange ended: ends the attempt whose response it relayed, if that one is still open. */
	void exchangeEnded(AttemptResult.Outcome outcome, String cause) {
		InstanceAttempt attempt = this.current;
		if (attempt != null) {
			attempt.end(attempt.hasResponse() ? outcome : AttemptResult.Outcome.CANCELLED, cause);
		}
	}

	/**
	 * The client's response ended with {@code signal} (both paths: {@link AttemptCompletionWebFilter} and
	 * {@code proxy.UpstreamCall}): relayed to its end, cut by a broken connection, or abandoned by the client.
	 */
	public void exchangeEnded(SignalType signal) {
		switch (signal) {
			case ON_COMPLETE -> exchangeEnded(AttemptResult.Outcome.RESPONSE, null);
			case ON_ERROR -> exchangeEnded(AttemptResult.Outcome.RESET, "connection broke during the response");
			default -> exchangeEnded(AttemptResult.Outcome.CANCELLED, "client went away");
		}
	}

	void failed(ServiceInstance instance, Throwable error) {
		failed(Upstream.authority(instance), error);
	}

	public void failed(String authority, Throwable error) {
		if (this.tried.isEmpty()) {
			this.tried = new HashSet<>(4);
		}
		this.tried.add(authority);
		this.lastFailure = new Failure(authority, error);
	}

	/** The last attempt that failed, or {@code null} while none has. */
	@Nullable
	public Failure lastFailure() {
		return this.lastFailure;
	}

	/** The retry about to start was paid from the budget at {@code nowMillis}. */
	public void budgetDrawn(long nowMillis) {
		this.budgetDrawnAt = nowMillis;
	}

	/**
	 * The retry paid for last got an answer: when the budget was drawn on for it, returns that time, once, and
	 * -1 otherwise.
	 */
	public long takeBudgetDrawn() {
		long drawn = this.budgetDrawnAt;
		this.budgetDrawnAt = -1;
		return drawn;
	}

	static Set<String> triedBy(Request<?> request) {
		RequestDataContext context = UpstreamLoadBalancer.context(request);
		if (context == null || context.getClientRequest() == null) {
			return Set.of();
		}
		Map<String, Object> attributes = context.getClientRequest().getAttributes();
		Object attempts = (attributes != null) ? attributes.get(ATTRIBUTE) : null;
		return (attempts instanceof RequestAttempts a) ? a.tried : Set.of();
	}

	/** An attempt that failed: the instance ({@code host:port}) and why. */
	public record Failure(String instance, Throwable error) {

	}

}
