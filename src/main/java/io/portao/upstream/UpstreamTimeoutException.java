package io.portao.upstream;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * An instance did not send its response headers within the response timeout (nginx {@code proxy_read_timeout}):
 * {@code 504 Gateway Timeout}, naming the upstream and the instance. Not retried: nginx's
 * {@code proxy_next_upstream error} does not include {@code timeout}.
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
