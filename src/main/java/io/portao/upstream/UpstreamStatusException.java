package io.portao.upstream;

/**
 * An instance answered 502, 503 or 504 and the request went on to the next instance ({@code next-upstream
 * http_50x}): kept as the attempt's error so that a final 502 can name it. Never thrown.
 */
public final class UpstreamStatusException extends RuntimeException {

	public UpstreamStatusException(int status) {
		super("http " + status, null, false, false);
	}

}
