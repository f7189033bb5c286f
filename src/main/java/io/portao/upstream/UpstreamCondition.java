package io.portao.upstream;

import java.util.Set;

/**
 * The conditions of nginx's {@code proxy_next_upstream} (which attempts go to the next instance) and of
 * {@code fail-on} (which attempts count against an instance's {@code max-fails}).
 */
public enum UpstreamCondition {

	/** Connecting failed, or the connection broke before the response headers (nginx {@code error}). */
	ERROR,

	/** No response headers within the response timeout (nginx {@code timeout}). */
	TIMEOUT,

	/** The instance answered 502 (nginx {@code http_502}). */
	HTTP_502,

	/** The instance answered 503 (nginx {@code http_503}). */
	HTTP_503,

	/** The instance answered 504 (nginx {@code http_504}). */
	HTTP_504,

	/** {@code next-upstream} only: also re-send non-idempotent requests that reached the instance. */
	NON_IDEMPOTENT,

	/** {@code next-upstream} only: never pass a request to the next instance. */
	OFF;

	/** Whether {@code conditions} cover an attempt that ended with {@code outcome} and {@code status}. */
	static boolean matches(Set<UpstreamCondition> conditions, AttemptResult.Outcome outcome, int status) {
		return switch (outcome) {
			case CONNECT, RESET -> conditions.contains(ERROR);
			case TIMEOUT -> conditions.contains(TIMEOUT);
			case RESPONSE -> matchesStatus(conditions, status);
			case CANCELLED -> false;
		};
	}

	public static boolean matchesStatus(Set<UpstreamCondition> conditions, int status) {
		return switch (status) {
			case 502 -> conditions.contains(HTTP_502);
			case 503 -> conditions.contains(HTTP_503);
			case 504 -> conditions.contains(HTTP_504);
			default -> false;
		};
	}

}
