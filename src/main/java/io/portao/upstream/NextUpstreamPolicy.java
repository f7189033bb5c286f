package io.portao.upstream;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Set;

import org.springframework.http.HttpMethod;

import io.portao.errors.GatewayTimeout;

/**
 * When a failed attempt may go to the next instance: nginx {@code proxy_next_upstream}, with its conditions.
 *
 * <ul>
 * <li>Connecting failed (refused, reset during the handshake, connect timeout): nothing reached the instance,
 * so any method is retried when {@code error} is configured.</li>
 * <li>The connection broke ({@code error}), no response headers came in time ({@code timeout}) or the instance
 * answered 502/503/504 ({@code http_50x}) after the request was sent: retried only for idempotent methods
 * (RFC 9110 §9.2.2), or any method with {@code non_idempotent}, and only if the request body had not started
 * streaming, since it is not kept (nginx 1.9.13+: "non-idempotent requests are not passed to the next server if a
 * request has been sent").</li>
 * </ul>
 * Errors after the response was handed to the client never reach this decision.
 */
public final class NextUpstreamPolicy {

	private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
			HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

	/** {@link #describe}'s cause for a connect timeout. */
	static final String CONNECT_TIMEOUT = "connect timeout";

	private NextUpstreamPolicy() {
	}

	/** Whether {@code error} is a failure of the connection to the instance (nginx {@code error}). */
	static boolean isUpstreamError(Throwable error) {
		return error instanceof IOException;
	}

	/** Spring Cloud Gateway's {@code response-timeout} expired before the response headers arrived. */
	static boolean isResponseTimeout(Throwable error) {
		return GatewayTimeout.is(error);
	}

	static boolean isConnectFailure(Throwable error) {
		return error instanceof ConnectException;
	}

	/** The {@code next-upstream} condition an attempt that failed with {@code error} falls under, or null. */
	public static UpstreamCondition conditionOf(Throwable error) {
		if (isUpstreamError(error)) {
			return UpstreamCondition.ERROR;
		}
		return isResponseTimeout(error) ? UpstreamCondition.TIMEOUT : null;
	}

	/** Whether a request that failed with {@code error} may be sent to another instance. */
	public static boolean mayRetry(Set<UpstreamCondition> conditions, Throwable error, HttpMethod method,
			boolean bodyStarted) {
		UpstreamCondition condition = conditionOf(error);
		if (condition == null || !conditions.contains(condition)) {
			return false;
		}
		return isConnectFailure(error) || maySendAgain(conditions, method, bodyStarted);
	}

	/** Whether a request answered with {@code status} may be sent to another instance. */
	public static boolean mayRetry(Set<UpstreamCondition> conditions, int status, HttpMethod method, boolean bodyStarted) {
		return UpstreamCondition.matchesStatus(conditions, status) && maySendAgain(conditions, method, bodyStarted);
	}

	/**
	 * Whether a request that timed out after reaching an instance would be passed on: {@code timeout} configured,
	 * and a method and body that may be sent again ({@link TimeoutEjectionRelease} arms only such attempts).
	 */
	public static boolean passesOnTimeouts(Set<UpstreamCondition> conditions, HttpMethod method, boolean hasBody) {
		return conditions.contains(UpstreamCondition.TIMEOUT) && !hasBody && maySendAgain(conditions, method, false);
	}

	/** A request that reached an instance: only idempotent ones (or all, with non_idempotent), body still here. */
	private static boolean maySendAgain(Set<UpstreamCondition> conditions, HttpMethod method, boolean bodyStarted) {
		if (bodyStarted) {
			return false;
		}
		return IDEMPOTENT.contains(method) || conditions.contains(UpstreamCondition.NON_IDEMPOTENT);
	}

	/** How an attempt that failed with {@code error} before its response headers ended. */
	static AttemptResult.Outcome outcome(Throwable error) {
		if (isConnectFailure(error) || error instanceof io.netty.channel.ConnectTimeoutException) {
			return AttemptResult.Outcome.CONNECT;
		}
		if (isResponseTimeout(error) || error instanceof java.util.concurrent.TimeoutException) {
			return AttemptResult.Outcome.TIMEOUT;
		}
		return isUpstreamError(error) ? AttemptResult.Outcome.RESET : AttemptResult.Outcome.CANCELLED;
	}

	/** A short cause for logs and endpoints: what nginx would write in its error log. */
	public static String describe(Throwable error) {
		if (error instanceof UpstreamStatusException) {
			return error.getMessage();
		}
		if (error instanceof io.netty.channel.ConnectTimeoutException) {
			return CONNECT_TIMEOUT;
		}
		if (isConnectFailure(error)) {
			return "connect refused";
		}
		if (isResponseTimeout(error) || error instanceof java.util.concurrent.TimeoutException) {
			// nginx: "upstream timed out (110: Connection timed out) while reading response header from upstream"
			return "response timeout";
		}
		if (error instanceof reactor.netty.http.client.PrematureCloseException
				|| error instanceof ClosedBeforeResponseException) {
			return "connection closed before response";
		}
		String message = error.getMessage();
		if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("reset")) {
			return "connection reset";
		}
		return error.getClass().getSimpleName();
	}

}
