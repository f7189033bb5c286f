package io.portao.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.portao.config.InvalidConfigurationException;

import org.springframework.boot.autoconfigure.ssl.PemSslBundleProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.io.ApplicationResourceLoader;
import org.springframework.boot.ssl.pem.PemContent;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * The files of each {@code spring.ssl.bundle.pem.<name>} bundle exist, are readable and hold what they should, and
 * the private key belongs to the certificate (nginx {@code -t} checks {@code ssl_certificate_key} against
 * {@code ssl_certificate} the same way). Boot reads them only when the server is created, and a reload with
 * {@code verify-keys: false} would serve a key that does not match.
 */
final class PemChecks {

	static final String PEM = "spring.ssl.bundle.pem";

	private static final String SERVER_BUNDLE = "server.ssl.bundle";

	private static final String READABLE = "an existing, readable PEM file";

	/** Signature algorithm per key algorithm, to prove possession of the key (as Boot's key verification does). */
	private static final Map<String, String> SIGNATURES = Map.of("RSA", "SHA256withRSA", "EC", "SHA256withECDSA",
			"Ed25519", "Ed25519", "EdDSA", "Ed25519");

	private final ResourceLoader resources = ApplicationResourceLoader.get();

	List<String> problems(Binder binder) {
		Map<String, PemSslBundleProperties> bundles;
		try {
			bundles = binder.bind(PEM, Bindable.mapOf(String.class, PemSslBundleProperties.class)).orElse(Map.of());
		}
		catch (RuntimeException unbindable) {
			return List.of();
		}
		List<String> problems = new ArrayList<>();
		bundles.forEach((name, bundle) -> keystore(PEM + "." + name + ".keystore", bundle.getKeystore(), problems));
		bundles.forEach((name, bundle) -> certificates(PEM + "." + name + ".truststore.certificate",
				bundle.getTruststore().getCertificate(), problems));
		serverBundle(binder, bundles.keySet(), problems);
		return problems;
	}

	/** {@code server.ssl.bundle} names a bundle that exists (Boot says only "cannot be found", naming neither). */
	private static void serverBundle(Binder binder, Set<String> pem, List<String> problems) {
		String name = binder.bind(SERVER_BUNDLE, String.class).orElse(null);
		boolean enabled = binder.bind("server.ssl.enabled", Boolean.class).orElse(true);
		Set<String> jks = binder.bind("spring.ssl.bundle.jks", Bindable.mapOf(String.class, Object.class))
			.orElse(Map.of()).keySet();
		if (enabled && name != null && !name.isBlank() && !pem.contains(name) && !jks.contains(name)) {
			problems.add(fault(SERVER_BUNDLE, name, "the name of a " + PEM + ".<name> (or spring.ssl.bundle.jks.<name>) "
					+ "bundle" + (pem.isEmpty() ? "" : ": " + String.join(", ", new TreeSet<>(pem)))));
		}
	}

	private void keystore(String prefix, PemSslBundleProperties.Store store, List<String> problems) {
		List<X509Certificate> chain = certificates(prefix + ".certificate", store.getCertificate(), problems);
		PrivateKey key = privateKey(prefix + ".private-key", store.getPrivateKey(), store.getPrivateKeyPassword(),
				problems);
		if (!chain.isEmpty() && key != null && !matches(key, chain.get(0))) {
			problems.add(new InvalidConfigurationException(prefix + ".private-key", store.getPrivateKey(),
					"the private key of the certificate in " + store.getCertificate()).getMessage());
		}
	}

	private List<X509Certificate> certificates(String property, String location, List<String> problems) {
		PemContent pem = load(property, location, problems);
		List<X509Certificate> chain = (pem != null) ? pem.getCertificates() : List.of();
		if (pem != null && chain.isEmpty()) {
			problems.add(fault(property, location, "a PEM file holding a certificate"));
		}
		return chain;
	}

	private PrivateKey privateKey(String property, String location, String password, List<String> problems) {
		PemContent pem = load(property, location, problems);
		if (pem == null) {
			return null;
		}
		try {
			PrivateKey key = pem.getPrivateKey(password);
			if (key == null) {
				problems.add(fault(property, location, "a PEM file holding a private key"));
			}
			return key;
		}
		catch (RuntimeException unreadable) {
			problems.add(fault(property, location, "a private key readable with the private-key-password given ("
					+ unreadable.getMessage() + ")"));
			return null;
		}
	}

	/** The PEM content at {@code location} (a file, a {@code classpath:} resource or PEM text itself). */
	private PemContent load(String property, String location, List<String> problems) {
		if (location == null || location.isBlank()) {
			return null;
		}
		if (PemContent.isPresentInText(location)) {
			return PemContent.of(location);
		}
		Resource resource = this.resources.getResource(location.trim());
		try (InputStream in = resource.getInputStream()) {
			return PemContent.load(in);
		}
		catch (IOException | RuntimeException unreadable) {
			problems.add(fault(property, location, READABLE));
			return null;
		}
	}

	static boolean matches(PrivateKey key, X509Certificate certificate) {
		String algorithm = SIGNATURES.get(key.getAlgorithm());
		if (algorithm == null) {
			return true; // a key type we cannot sign with here: left to Boot's own verify-keys
		}
		try {
			byte[] data = "portao check".getBytes(StandardCharsets.US_ASCII);
			Signature signer = Signature.getInstance(algorithm);
			signer.initSign(key);
			signer.update(data);
			byte[] signature = signer.sign();
			Signature verifier = Signature.getInstance(algorithm);
			verifier.initVerify(certificate.getPublicKey());
			verifier.update(data);
			return verifier.verify(signature);
		}
		catch (GeneralSecurityException mismatch) {
			return false;
		}
	}

	private static String fault(String property, String value, String expected) {
		return new InvalidConfigurationException(property, value, expected).getMessage();
	}

}
