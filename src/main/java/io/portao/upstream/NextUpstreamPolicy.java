package io.portao.upstream;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Set;

import org.springframework.http.HttpMethod;

/**
 * When a failed attempt may go to the next instance: nginx {@code proxy_next_upstream error}.
 *
 * <ul>
 * <li>Connecting failed (refused, reset during the handshake, connect timeout): nothing reached the instance,
 * so any method is retried.</li>
 * <li>The connection broke after the request started but before response headers arrived: retried only for
 * idempotent methods (RFC 9110 §9.2.2) and only if the request body was not streamed yet, since it is not kept
 * (nginx 1.9.13+: "non-idempotent requests are not passed to the next server if a request has been sent").</li>
 * <li>A response timeout is not an {@code error} in nginx's sense and is never retried here (504).</li>
 * </ul>
 * Errors after the response headers arrived never reach this decision: the response is then the client's.
 */
final class NextUpstreamPolicy {

	private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
			HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

	private NextUpstreamPolicy() {
	}

	/** Whether {@code error} counts against the instance ({@code max_fails}) at all. */
	static boolean isUpstreamError(Throwable error) {
		return error instanceof IOException;
	}

	/** Spring Cloud Gateway's {@code response-timeout} expired before the response headers arrived. */
	static boolean isResponseTimeout(Throwable error) {
		return error instanceof org.springframework.web.server.ResponseStatusException rse
				&& rse.getStatusCode().value() == 504;
	}

	static boolean isConnectFailure(Throwable error) {
		return error instanceof ConnectException;
	}

	/** Whether a request that failed with {@code error} may be sent to another instance. */
	static boolean mayRetry(Throwable error, HttpMethod method, boolean bodyStarted) {
		if (isConnectFailure(error)) {
			return true;
		}
		return isUpstreamError(error) && IDEMPOTENT.contains(method) && !bodyStarted;
	}

	/** How an attempt that failed with {@code error} before its response headers ended. */
	static AttemptOutcome outcome(Throwable error) {
		if (isConnectFailure(error) || error instanceof io.netty.channel.ConnectTimeoutException) {
			return AttemptOutcome.CONNECT;
		}
		if (isResponseTimeout(error) || error instanceof java.util.concurrent.TimeoutException) {
			return AttemptOutcome.TIMEOUT;
		}
		return isUpstreamError(error) ? AttemptOutcome.RESET : AttemptOutcome.CANCELLED;
	}

	/** A short cause for logs and endpoints: what nginx would write in its error log. */
	static String describe(Throwable error) {
		if (error instanceof io.netty.channel.ConnectTimeoutException) {
			return "connect timeout";
		}
		if (isConnectFailure(error)) {
			return "connect refused";
		}
		if (error instanceof reactor.netty.http.client.PrematureCloseException) {
			return "connection closed before response";
		}
		String message = error.getMessage();
		if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("reset")) {
			return "connection reset";
		}
		return error.getClass().getSimpleName();
	}

}
