package io.portao.tls;

import io.portao.config.InvalidConfigurationException;

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
 * ({@code spring.ssl.bundle.pem.<name>.reload-on-update}) are Boot's own.
 */
@Configuration(proxyBeanMethods = false)
public class TlsConfiguration {

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
