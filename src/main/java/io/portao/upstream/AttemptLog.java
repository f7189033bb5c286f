package io.portao.upstream;

import io.portao.errors.GatewayTimeout;

/**
 * What a lane tells the access log of a proxied request: each upstream attempt ({@code $upstream_addr},
 * {@code $upstream_status}, {@code $upstream_response_time}, as the gateway path's {@code UpstreamAttemptLogFilter}
 * notes them) and the body bytes relayed ({@code $body_bytes_sent}).
 */
public interface AttemptLog {

	/** nginx's {@code $upstream_status} for an attempt that got no answer. */
	int BAD_GATEWAY = 502;

	/** nginx's {@code $upstream_status} for an attempt that timed out. */
	int GATEWAY_TIMEOUT = 504;

	/** nginx's {@code $upstream_status} for an attempt that failed with {@code error}: 504 on a timeout, else 502. */
	static int statusOf(Throwable error) {
		return GatewayTimeout.is(error) ? GATEWAY_TIMEOUT : BAD_GATEWAY;
	}

	/** An attempt to {@code address} ({@code host:port}) starts; returns its index. */
	int attemptStarted(String address);

	/** Response headers with {@code status} arrived for attempt {@code index}. */
	void attemptResponded(int index, int status);

	/** Attempt {@code index} failed; {@code status} is what nginx writes for it (502, or 504 on a timeout). */
	void attemptFailed(int index, int status);

	/** {@code bytes} more of the response body went to the client. */
	void bodySent(int bytes);

}
