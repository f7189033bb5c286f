package io.portao.tls;

import io.portao.config.InvalidConfigurationException;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What Portão adds to Spring's own TLS configuration ({@code server.ssl.bundle} with a
 * {@code spring.ssl.bundle.pem.<name>} bundle, which already covers certificates, protocols, ciphers and reload).
 *
 * @param redirectPort A plain-HTTP port on which every request is answered with {@code 308 Permanent Redirect}
 * to the same host, path and query on HTTPS (nginx {@code listen 80; return 308 https://$host$request_uri;}).
 * Unset (the default): no plain-HTTP port. Requires TLS on the main port ({@code server.ssl.bundle}); the port
 * is bound on {@code server.address} when that is set.
 */
@ConfigurationProperties(TlsProperties.PREFIX)
public record TlsProperties(Integer redirectPort) {

	/** The prefix of these properties. */
	public static final String PREFIX = "portao.tls";

	/** The full name of {@link #redirectPort()}, for messages. */
	public static final String REDIRECT_PORT = PREFIX + ".redirect-port";

	public TlsProperties {
		if (redirectPort != null && (redirectPort < 1 || redirectPort > 65535)) {
			throw new InvalidConfigurationException(REDIRECT_PORT, redirectPort, "a port in 1..65535, or unset");
		}
	}

}
