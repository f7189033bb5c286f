package io.portao.support;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Generates a self-signed RSA 2048 certificate for {@code localhost} and {@code 127.0.0.1}, written as PEM
 * files, as the reference setup's {@code openssl x509 -signkey} did (with a 2048-bit key).
 */
public final class TestCertificates {

	private TestCertificates() {
	}

	/** A generated certificate and the PEM files holding it and its key. */
	public record Pem(X509Certificate certificate, Path certificateFile, Path privateKeyFile) {
	}

	/** A certificate for {@code localhost} as {@code cert.pem} and {@code cert.key} in a new temporary directory. */
	public static Pem generateInTempDirectory(String prefix) {
		try {
			return generate(Files.createTempDirectory(prefix), "cert", "localhost");
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not create a directory for a test certificate", ex);
		}
	}

	/** Writes {@code <name>.pem} and {@code <name>.key} into {@code dir} for a certificate with CN {@code cn}. */
	public static Pem generate(Path dir, String name, String cn) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			KeyPair keys = generator.generateKeyPair();
			X509Certificate certificate = selfSign(keys, cn);
			Path certFile = dir.resolve(name + ".pem");
			Path keyFile = dir.resolve(name + ".key");
			Files.writeString(certFile, pem(certificate));
			Files.writeString(keyFile, pem(keys.getPrivate()));
			return new Pem(certificate, certFile, keyFile);
		}
		catch (IOException | NoSuchAlgorithmException | OperatorCreationException | CertificateException ex) {
			throw new IllegalStateException("could not generate a test certificate", ex);
		}
	}

	private static X509Certificate selfSign(KeyPair keys, String cn)
			throws IOException, OperatorCreationException, CertificateException {
		X500Name subject = new X500Name("CN=" + cn);
		Instant now = Instant.now();
		JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
				BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(1))),
				Date.from(now.plus(Duration.ofDays(364))), subject, keys.getPublic());
		builder.addExtension(Extension.subjectAlternativeName, false,
				new GeneralNames(new GeneralName[] { new GeneralName(GeneralName.dNSName, "localhost"),
						new GeneralName(GeneralName.iPAddress, "127.0.0.1") }));
		X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
		return new JcaX509CertificateConverter().getCertificate(holder);
	}

	private static String pem(Object object) throws IOException {
		StringWriter out = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
			writer.writeObject(object);
		}
		return out.toString();
	}

}
