package io.portao.upstream;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * An instance did not send its response headers within the response timeout (nginx {@code proxy_read_timeout}):
 * {@code 504 Gateway Timeout}, naming the upstream and the instance. Passed to the next instance as nginx does
 * by default ({@code proxy_next_upstream error timeout}, Portão's {@code next-upstream} default too), for
 * idempotent requests whose body had not started ({@link NextUpstreamPolicy}).
 */
public class UpstreamTimeoutException extends ResponseStatusException {

	public UpstreamTimeoutException(String upstream, String instance, Throwable cause) {
		super(HttpStatus.GATEWAY_TIMEOUT, "upstream '" + upstream + "' instance " + instance
				+ ": no response in time (" + reasonOf(cause) + ")", cause);
	}

	private static String reasonOf(Throwable cause) {
		return (cause instanceof ResponseStatusException rse && rse.getReason() != null) ? rse.getReason()
				: cause.getMessage();
	}

}
