package io.portao.tls;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * The certificate the public port serves, in {@code /actuator/health} (component {@code tls}): its subject,
 * serial and expiry, and whether the files on disk would load. Boot's reload ({@code reload-on-update}) keeps the
 * current certificate when a new one is unreadable or does not match its key, and only logs
 * {@code Unexpected SSL reload error}; this makes that state visible where probes and dashboards look:
 * {@code reloadError} names what is wrong with the files, and {@code onDisk} says whether they hold the served
 * certificate or a newer one not loaded yet. DOWN only when the served certificate has expired (nginx would go on
 * serving it; clients would not accept it).
 */
public class CertificateHealthIndicator extends AbstractHealthIndicator {

	private static final Log logger = LogFactory.getLog(CertificateHealthIndicator.class);

	private final SslBundles bundles;

	private final String bundleName;

	private final Supplier<SslBundle> fromDisk;

	private final Clock clock;

	private volatile String lastError;

	public CertificateHealthIndicator(SslBundles bundles, String bundleName, Supplier<SslBundle> fromDisk, Clock clock) {
		super("TLS certificate check failed");
		this.bundles = bundles;
		this.bundleName = bundleName;
		this.fromDisk = fromDisk;
		this.clock = clock;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		X509Certificate served = certificate(this.bundles.getBundle(this.bundleName));
		builder.withDetail("bundle", this.bundleName);
		if (served == null) {
			builder.down().withDetail("error", "no X.509 certificate in the bundle's key store");
			return;
		}
		Instant notAfter = served.getNotAfter().toInstant();
		builder.withDetail("subject", served.getSubjectX500Principal().getName())
			.withDetail("serialNumber", served.getSerialNumber().toString(16))
			.withDetail("notAfter", notAfter.toString());
		checkDisk(builder, served);
		if (notAfter.isBefore(this.clock.instant())) {
			builder.down().withDetail("error", "the served certificate expired at " + notAfter);
			return;
		}
		builder.up();
	}

	private void checkDisk(Health.Builder builder, X509Certificate served) {
		try {
			X509Certificate onDisk = certificate(this.fromDisk.get());
			builder.withDetail("onDisk", served.equals(onDisk) ? "served" : "newer, reload pending");
			this.lastError = null;
		}
		catch (RuntimeException | KeyStoreException ex) {
			String error = rootMessage(ex);
			builder.withDetail("onDisk", "unreadable, still serving the previous certificate")
				.withDetail("reloadError", error);
			if (!error.equals(this.lastError)) {
				logger.warn("TLS bundle '" + this.bundleName + "': the certificate files do not load (" + error
						+ "); still serving " + served.getSubjectX500Principal().getName() + " until valid ones arrive");
			}
			this.lastError = error;
		}
	}

	static X509Certificate certificate(SslBundle bundle) throws KeyStoreException {
		KeyStore store = bundle.getStores().getKeyStore();
		if (store == null) {
			return null;
		}
		for (String alias : Collections.list(store.aliases())) {
			Certificate certificate = store.getCertificate(alias);
			if (certificate instanceof X509Certificate x509) {
				return x509;
			}
		}
		return null;
	}

	private static String rootMessage(Throwable error) {
		Throwable root = error;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		String message = (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
		return (root == error) ? message : error.getMessage() + ": " + message;
	}

}
