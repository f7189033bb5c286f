package io.portao.upstream;

/**
 * One ended attempt, as reported to {@link AttemptListener}s.
 *
 * @param upstream the upstream's name (the {@code lb://} host, the discovery service id)
 * @param instance the instance's state; its counters already include this attempt
 * @param outcome how the attempt ended
 * @param status the response status, or 0 when no response headers arrived
 * @param headerNanos from sending the request to the response headers (nginx {@code $upstream_header_time}), or
 * the time to failure when none arrived
 * @param totalNanos from sending the request to the end of the response body (nginx
 * {@code $upstream_response_time})
 * @param cause a short cause for failures ("connect refused", "connection reset", …), else {@code null}
 */
public record AttemptResult(String upstream, InstanceState instance, Outcome outcome, int status,
		long headerNanos, long totalNanos, String cause) {

	/**
	 * How one attempt to send a request to an instance ended. Only {@link #RESPONSE} means the instance answered;
	 * its status (5xx included) is in {@link AttemptResult#status()}.
	 */
	public enum Outcome {

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

}
