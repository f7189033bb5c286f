package io.portao.tls;

import java.net.URI;
import java.net.URISyntaxException;

import io.portao.limits.HostSyntax;

/**
 * The {@code Location} of the plain-HTTP to HTTPS redirect, as nginx's {@code return 308 https://$host$request_uri}
 * builds it: the host of the {@code Host} header without its port, the HTTPS port unless it is the default 443,
 * then the request target's raw path and query, unchanged.
 */
final class RedirectLocation {

	private static final int DEFAULT_HTTPS_PORT = 443;

	private RedirectLocation() {
	}

	/**
	 * Returns the {@code Location} for a request with this {@code Host} header and request target, or
	 * {@code null} if the {@code Host} is missing or malformed (the caller answers 400, as RFC 9112 section 3.2
	 * asks of a request without a valid Host).
	 */
	static String of(String hostHeader, int httpsPort, String requestTarget) {
		String host = (hostHeader != null) ? hostHeader.trim() : null;
		// The public port's own check (RFC 3986 host and port, nginx's refusals): anything else (a path, userinfo,
		// spaces) is not a Host this redirect may repeat.
		if (!HostSyntax.validHeader(host)) {
			return null;
		}
		String port = (httpsPort == DEFAULT_HTTPS_PORT) ? "" : ":" + httpsPort;
		return "https://" + withoutPort(host) + port + pathAndQuery(requestTarget);
	}

	/** The host of a valid {@code Host} value: an IP literal with its brackets, or what comes before the colon. */
	private static String withoutPort(String host) {
		int end = host.startsWith("[") ? host.indexOf(']') + 1 : host.indexOf(':');
		return (end > 0) ? host.substring(0, end) : host;
	}

	// RFC 9112 section 3.2: origin-form ("/p?q") is used as sent; absolute-form contributes its path and query;
	// asterisk-form ("OPTIONS *") and anything unparsable redirect to the root.
	private static String pathAndQuery(String requestTarget) {
		if (requestTarget == null || requestTarget.isEmpty() || requestTarget.equals("*")) {
			return "/";
		}
		if (requestTarget.startsWith("/")) {
			return requestTarget;
		}
		return absoluteFormPath(requestTarget);
	}

	private static String absoluteFormPath(String requestTarget) {
		try {
			URI uri = new URI(requestTarget);
			String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/" : uri.getRawPath();
			return (uri.getRawQuery() != null) ? path + "?" + uri.getRawQuery() : path;
		}
		catch (URISyntaxException ex) {
			return "/";
		}
	}

}
