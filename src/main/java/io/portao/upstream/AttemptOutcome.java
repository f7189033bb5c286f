package io.portao.upstream;

/**
 * How one attempt to send a request to an instance ended. Only {@link #RESPONSE} means the instance answered;
 * its status (5xx included) is in {@link AttemptResult#status()}.
 */
public enum AttemptOutcome {

	/** Response headers arrived and the exchange finished (the body, if any, was relayed to its end). */
	RESPONSE,

	/** Connecting failed: refused, unreachable or connect timeout. Nothing reached the instance. */
	CONNECT,

	/** No response headers within the response timeout (nginx {@code proxy_read_timeout}). */
	TIMEOUT,

	/** The connection broke: reset or closed before the response headers, or in the middle of the body. */
	RESET,

	/** The client went away, or the gateway cancelled the attempt, before it ended. */
	CANCELLED;

	/** Whether the attempt counts as a failure of the instance (not the client's doing, not an HTTP answer). */
	public boolean isFailure() {
		return this == CONNECT || this == TIMEOUT || this == RESET;
	}

}
