package io.portao.metrics;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON of {@code /actuator/upstreams}: {@code {"upstreams": {"<name>": {"policy": …, "instances": […]}}}}.
 * Absent values are written as {@code null}, not left out, so that every row has the same fields.
 *
 * @param upstreams every upstream by name
 */
public record UpstreamsReport(Map<String, UpstreamReport> upstreams, Map<String, RouteReport> routes) {

	/**
	 * One gateway route: which path its requests take.
	 *
	 * @param path {@code lane} (answered ahead of Spring WebFlux, docs/performance.md "The proxy lane") or
	 * {@code gateway} (the full Spring Cloud Gateway path)
	 * @param reason why the route takes the gateway path, or {@code null} on the lane
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record RouteReport(String path, String reason) {
	}

	/**
	 * One upstream.
	 *
	 * @param policy the balancing policy's name
	 * @param instances its instances, sorted by {@code host:port}
	 */
	public record UpstreamReport(String policy, List<InstanceReport> instances) {
	}

	/**
	 * One instance.
	 *
	 * @param uri {@code http://host:port}
	 * @param state {@code UP}, {@code EJECTED}, {@code DOWN}, {@code DRAINING} or {@code DRAINED}
	 * @param requests attempts sent, failed ones included
	 * @param failures attempts that failed (connect, timeout, reset)
	 * @param inFlight attempts whose response is not relayed to its end yet
	 * @param latency p50/p99 over the last minute, or {@code null} when nothing was sent in it
	 * @param lastFailure the last failure, or {@code null}
	 * @param ejectedUntil ISO-8601 instant the instance is left out until, or {@code null} when it is not
	 * @param control the operator's setting ({@code UP}, {@code DRAIN}, {@code DOWN}), or {@code null} when none
	 * @param weight the instance's weight (metadata {@code weight}, nginx {@code weight=}; 1 by default)
	 * @param backup whether it only takes requests when no primary instance can (nginx {@code backup})
	 * @param responses answers relayed since start by status class: {@code 2xx}, {@code 3xx}, {@code 4xx},
	 * {@code 5xx}
	 * @param lastHealthCheck the last active health check, or {@code null} (none yet, or health checks off)
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record InstanceReport(String uri, String state, long requests, long failures, int inFlight,
			Latency latency, LastFailure lastFailure, String ejectedUntil, String control, int weight, boolean backup,
			Map<String, Long> responses, HealthCheck lastHealthCheck) {
	}

	/**
	 * An active health check's result.
	 *
	 * @param at ISO-8601 instant it ended
	 * @param passed whether the instance answered as expected
	 * @param cause why it failed, or {@code null} when it passed
	 */
	public record HealthCheck(String at, boolean passed, String cause) {
	}

	/**
	 * Latency percentiles from sending the request to the end of the response body.
	 *
	 * @param p50Ms median in milliseconds
	 * @param p99Ms 99th percentile in milliseconds
	 */
	public record Latency(double p50Ms, double p99Ms) {
	}

	/**
	 * The instance's last failure.
	 *
	 * @param at ISO-8601 instant
	 * @param cause short cause, e.g. {@code connect refused}
	 */
	public record LastFailure(String at, String cause) {
	}

}
