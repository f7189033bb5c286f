package io.portao.tls;

import java.time.Clock;
import java.util.function.Supplier;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.ssl.JksSslBundleProperties;
import org.springframework.boot.autoconfigure.ssl.PemSslBundleProperties;
import org.springframework.boot.autoconfigure.ssl.PropertiesSslBundle;
import org.springframework.boot.autoconfigure.ssl.SslProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

/**
 * The {@code tls} health component ({@link CertificateHealthIndicator}) when the public port serves TLS from a
 * {@code spring.ssl.bundle.pem} or {@code .jks} bundle.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("server.ssl.bundle")
public class CertificateHealthConfiguration {

	@Bean
	CertificateHealthIndicator tlsHealthIndicator(SslBundles bundles, SslProperties ssl, ServerProperties server,
			ResourceLoader resourceLoader) {
		String name = server.getSsl().getBundle();
		return new CertificateHealthIndicator(bundles, name, fromDisk(ssl, name, resourceLoader), Clock.systemUTC());
	}

	/** Loads the bundle from its files again, as Boot's reload would. */
	private static Supplier<SslBundle> fromDisk(SslProperties ssl, String name, ResourceLoader resourceLoader) {
		PemSslBundleProperties pem = ssl.getBundle().getPem().get(name);
		if (pem != null) {
			return () -> PropertiesSslBundle.get(pem, resourceLoader);
		}
		JksSslBundleProperties jks = ssl.getBundle().getJks().get(name);
		return () -> PropertiesSslBundle.get(jks, resourceLoader);
	}

}
