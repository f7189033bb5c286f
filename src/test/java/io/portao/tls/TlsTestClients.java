package io.portao.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** TLS clients for tests, all connecting to 127.0.0.1 only. */
public final class TlsTestClients {

	private TlsTestClients() {
	}

	/** An {@link SSLContext} that trusts exactly {@code certificates}. */
	public static SSLContext trusting(X509Certificate... certificates) {
		try {
			KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
			store.load(null, null);
			for (int i = 0; i < certificates.length; i++) {
				store.setCertificateEntry("gateway-" + i, certificates[i]);
			}
			TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			factory.init(store);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, factory.getTrustManagers(), null);
			return context;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A JDK client trusting {@code certificate}, speaking {@code version}. */
	static HttpClient httpClient(X509Certificate certificate, HttpClient.Version version) {
		return HttpClient.newBuilder()
			.sslContext(trusting(certificate))
			.version(version)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	/**
	 * Completes a handshake with 127.0.0.1:{@code port} and returns the certificate the server presented, whatever
	 * it is. {@code sniHost} is sent as SNI; {@code null} sends none (as clients connecting to an IP address do).
	 */
	static X509Certificate presentedCertificate(int port, String sniHost) throws IOException {
		AtomicReference<X509Certificate> presented = new AtomicReference<>();
		try (SSLSocket socket = (SSLSocket) capturing(presented).getSocketFactory().createSocket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			socket.setSoTimeout(5000);
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setServerNames((sniHost != null) ? List.of(new SNIHostName(sniHost)) : List.of());
			socket.setSSLParameters(parameters);
			socket.startHandshake();
		}
		return presented.get();
	}

	// Records the presented chain instead of judging it: reload tests need to see a certificate they do not trust.
	private static SSLContext capturing(AtomicReference<X509Certificate> presented) {
		X509TrustManager recorder = new X509TrustManager() {
			@Override
			public void checkClientTrusted(X509Certificate[] chain, String authType) {
			}

			@Override
			public void checkServerTrusted(X509Certificate[] chain, String authType) {
				presented.set(chain[0]);
			}

			@Override
			public X509Certificate[] getAcceptedIssuers() {
				return new X509Certificate[0];
			}
		};
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, new TrustManager[] { recorder }, null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}


}
