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
public record AttemptResult(String upstream, InstanceState instance, AttemptOutcome outcome, int status,
		long headerNanos, long totalNanos, String cause) {

}
