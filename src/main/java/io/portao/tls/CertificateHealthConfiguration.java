package io.portao.tls;

import java.time.Clock;
import java.util.function.Supplier;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.ssl.JksSslBundleProperties;
import org.springframework.boot.autoconfigure.ssl.PemSslBundleProperties;
import org.springframework.boot.autoconfigure.ssl.PropertiesSslBundle;
import org.springframework.boot.autoconfigure.ssl.SslProperties;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.StringUtils;

/**
 * The {@code tls} health component ({@link CertificateHealthIndicator}) when the public port serves TLS from a
 * {@code spring.ssl.bundle.pem} or {@code .jks} bundle.
 *
 * <p>Registered at start-up rather than declared under a condition on {@code server.ssl.bundle}: the image starts on
 * Spring AOT's bean definitions, whose conditions were decided at build time on the jar's own cleartext
 * configuration, and its start-up guard ({@code io.portao.aot.AotConditionsGuard}) turns AOT off for any
 * configuration that decides one of them otherwise. Without a condition here, a TLS configuration like the
 * reference's {@code bapi-ssl.conf} keeps AOT's start.
 */
@Configuration(proxyBeanMethods = false)
public class CertificateHealthConfiguration {

	/** The component's name in {@code /actuator/health}, as the bean {@code tlsHealthIndicator} was named before. */
	static final String COMPONENT = "tls";

	@Bean
	SmartInitializingSingleton tlsHealthRegistration(ObjectProvider<HealthContributorRegistry> registry,
			SslBundles bundles, SslProperties ssl, ServerProperties server, ResourceLoader resourceLoader) {
		return () -> {
			Ssl served = server.getSsl();
			String bundle = Ssl.isEnabled(served) ? served.getBundle() : null;
			if (!StringUtils.hasText(bundle)) {
				return;
			}
			registry.ifAvailable(contributors -> contributors.registerContributor(COMPONENT,
					new CertificateHealthIndicator(bundles, bundle, fromDisk(ssl, bundle, resourceLoader),
							Clock.systemUTC())));
		};
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
