package io.portao.errors;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * How an upstream timeout is told apart from other upstream faults, in one place: every timeout Portão raises (the
 * response timeout on the event loop, Spring Cloud Gateway's own, an attempt released when its instance was ejected
 * for a timeout, {@code UpstreamTimeoutException}) is a {@code 504} {@link ResponseStatusException}, and the failover
 * decision ({@code proxy_next_upstream timeout}), the access log's {@code $upstream_status} and the answer to the
 * client all read it so.
 */
public final class GatewayTimeout {

	private GatewayTimeout() {
	}

	/** Whether {@code error} is an upstream timeout. */
	public static boolean is(Throwable error) {
		return error instanceof ResponseStatusException rse && rse.getStatusCode().value() == 504;
	}

	/** A timeout whose reason is {@code cause}'s message. */
	public static ResponseStatusException of(Throwable cause) {
		return new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT, cause.getMessage(), cause);
	}

}
