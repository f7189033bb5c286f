package io.portao.proxy;

import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One gateway route as the proxy lane sees it: the predicates it can decide without an exchange (path prefixes
 * of {@code Path} patterns {@code /**} and {@code /a/b/**}, {@code Method}), and either the upstream it serves
 * on the lane ({@code target}) or why the route takes the gateway path ({@code reason}).
 *
 * @param id the route's id
 * @param prefixes the path prefixes of its {@code Path} patterns ({@code ""} for {@code /**}), or {@code null}
 * when the lane cannot decide its predicates, so that no request may pass it on the lane
 * @param methods the methods its {@code Method} predicate admits, empty for any
 * @param target what the lane calls, {@code null} when the route takes the gateway path
 * @param reason why the route takes the gateway path, {@code null} when it is on the lane
 * @param timer the route's {@code spring.cloud.gateway.requests} timers, {@code null} when they are not recorded
 */
record LaneRoute(String id, @Nullable List<String> prefixes, Set<String> methods, UpstreamCall.@Nullable Target target,
		@Nullable String reason, @Nullable GatewayRequestsTimer timer) {

	/** Whether the lane can decide if {@code rawPath} with {@code method} matches. */
	boolean decidable() {
		return this.prefixes != null;
	}

	/** Whether a request for {@code rawTarget} (a decidable route; no {@code %} or {@code ;} in a prefix) matches. */
	boolean matches(String method, String rawTarget) {
		if (!this.methods.isEmpty() && !this.methods.contains(method)) {
			return false;
		}
		for (String prefix : this.prefixes) {
			if (matchesPrefix(prefix, rawTarget)) {
				return true;
			}
		}
		return false;
	}

	/** {@code /a/**} matches {@code /a}, {@code /a/} and {@code /a/...} (Spring's {@code PathPattern}). */
	private static boolean matchesPrefix(String prefix, String target) {
		if (prefix.isEmpty()) {
			return true;
		}
		if (!target.startsWith(prefix)) {
			return false;
		}
		if (target.length() == prefix.length()) {
			return true;
		}
		char next = target.charAt(prefix.length());
		return next == '/' || next == '?';
	}

	/** Whether the lane serves the requests this route matches. */
	boolean onLane() {
		return this.target != null;
	}

}
