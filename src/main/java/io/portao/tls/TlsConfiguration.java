package io.portao.tls;

import io.netty.handler.ssl.OpenSsl;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.portao.config.InvalidConfigurationException;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * TLS beyond what Boot configures from {@code server.ssl.bundle}: the optional plain-HTTP redirect port. The
 * certificate, HTTP/2 via ALPN ({@code server.http2.enabled}) and certificate reload
 * ({@code spring.ssl.bundle.pem.<name>.reload-on-update}) are Boot's own. The engine is Netty's default:
 * BoringSSL from netty-tcnative where the jar has its native library (Linux x86-64 and aarch64), else the JDK's;
 * which one is logged at start-up, as {@code nginx -V} names its OpenSSL.
 */
@Configuration(proxyBeanMethods = false)
public class TlsConfiguration {

	private static final Log logger = LogFactory.getLog(TlsConfiguration.class);

	// No condition on server.ssl.bundle (it looks at the server's Ssl itself): a condition would be decided at build
	// time under Spring AOT, and the image's start-up guard would turn AOT off for every TLS configuration.
	@Bean
	SmartInitializingSingleton tlsEngineReport(ServerProperties server) {
		return () -> {
			if (!Ssl.isEnabled(server.getSsl())) {
				return;
			}
			if (OpenSsl.isAvailable()) {
				logger.info("TLS engine: OpenSSL (" + OpenSsl.versionString() + ", netty-tcnative)");
			}
			else {
				// Still TLS, with the JDK's engine: more CPU and a longer p99 per record (docs/performance.md).
				logger.warn("TLS engine: the JDK's SSLEngine; OpenSSL is unavailable here: "
						+ OpenSsl.unavailabilityCause());
			}
		};
	}

	@Bean
	@ConditionalOnProperty(prefix = TlsProperties.PREFIX, name = "redirect-port")
	HttpRedirectServer httpRedirectServer(TlsProperties tls, ServerProperties server, ApplicationContext context) {
		if (tls.redirectPort() == null) {
			throw new InvalidConfigurationException(TlsProperties.REDIRECT_PORT, "", "a port in 1..65535, or unset");
		}
		// A redirect to HTTPS from a gateway without TLS would send every client to a port that does not speak it.
		if (!Ssl.isEnabled(server.getSsl())) {
			throw new InvalidConfigurationException(TlsProperties.REDIRECT_PORT, tls.redirectPort(),
					"unset unless TLS is on: set server.ssl.bundle (a spring.ssl.bundle.pem.<name>) as well");
		}
		return new HttpRedirectServer(server.getAddress(), tls.redirectPort(),
				() -> ((WebServerApplicationContext) context).getWebServer().getPort());
	}

}
