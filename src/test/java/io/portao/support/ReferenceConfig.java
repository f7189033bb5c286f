package io.portao.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The reference nginx configuration we replace ({@code shared/reference}, copied verbatim to
 * {@code src/test/resources/nginx/reference}) with only its ports and paths substituted for a test: the listen port
 * (bound to 127.0.0.1), the upstream servers, the static root and the TLS files.
 */
public final class ReferenceConfig {

	/** {@code conf.d/bapi.conf}: plain HTTP on 8888. */
	public static final String BAPI = "conf.d/bapi.conf";

	/** {@code conf.d/bapi-ssl.conf}: the same with TLS on 443. */
	public static final String BAPI_SSL = "conf.d/bapi-ssl.conf";

	private ReferenceConfig() {
	}

	/** The reference file as shipped. */
	public static String verbatim(String name) {
		try (InputStream in = ReferenceConfig.class.getResourceAsStream("/nginx/reference/" + name)) {
			if (in == null) {
				throw new IllegalStateException("no reference configuration " + name + " on the test classpath");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * {@code name} listening on 127.0.0.1:{@code port}, in front of 127.0.0.1:{@code upstreamPorts}, with
	 * {@code root} as the static root and, if given, {@code tls}'s certificate and key.
	 */
	public static String forTest(String name, int port, List<Integer> upstreamPorts, Path root, TestCertificates.Pem tls) {
		String servers = upstreamPorts.stream().map(p -> "    server 127.0.0.1:" + p + ";").collect(Collectors.joining("\n"));
		String config = verbatim(name).replaceFirst("listen\\s+\\d+;", "listen       127.0.0.1:" + port + ";")
			.replaceFirst("    server 127\\.0\\.0\\.1:8080;\n    server 127\\.0\\.0\\.1:8081;", servers)
			.replace("root /var/www/static;", "root " + root + ";");
		if (tls != null) {
			config = config.replace("/var/www/ssl/cert.pem", tls.certificateFile().toString())
				.replace("/var/www/ssl/cert.key", tls.privateKeyFile().toString());
		}
		return config;
	}

}
