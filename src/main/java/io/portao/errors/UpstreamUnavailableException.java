package io.portao.errors;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * No instance of an upstream could take the request: nginx answers {@code 502 Bad Gateway}, and so do we (Spring
 * Cloud Gateway would answer 500, spring-cloud-gateway#4208).
 */
public class UpstreamUnavailableException extends ResponseStatusException {

	private final String upstream;

	public UpstreamUnavailableException(String upstream, String detail, Throwable cause) {
		super(HttpStatus.BAD_GATEWAY, "upstream '" + upstream + "': " + detail, cause);
		this.upstream = upstream;
	}

	public String upstream() {
		return this.upstream;
	}

}
