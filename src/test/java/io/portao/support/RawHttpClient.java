package io.portao.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends bytes exactly as written to a loopback port and reads what comes back, for requests no well-behaved
 * client would send (smuggling, traversal encodings, oversized headers).
 */
public final class RawHttpClient {

	private RawHttpClient() {
	}

	/**
	 * Writes {@code request} (ISO-8859-1) to 127.0.0.1:{@code port}, then reads until the server closes the
	 * connection or {@code timeout} passes without data.
	 */
	public static RawResponse send(int port, String request, Duration timeout) throws IOException {
		return send(port, request.getBytes(StandardCharsets.ISO_8859_1), timeout);
	}

	public static RawResponse send(int port, byte[] request, Duration timeout) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
			socket.setSoTimeout((int) timeout.toMillis());
			OutputStream out = socket.getOutputStream();
			out.write(request);
			out.flush();
			return RawResponse.parse(readAll(socket.getInputStream()));
		}
	}

	/** As {@link #send(int, String, Duration)}, over TLS (any certificate accepted: the test made it). */
	public static RawResponse sendTls(int port, String request, Duration timeout) throws IOException {
		try (Socket plain = new Socket()) {
			plain.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
			plain.setSoTimeout((int) timeout.toMillis());
			try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) TrustAll.CONTEXT.getSocketFactory()
				.createSocket(plain, "localhost", port, true)) {
				socket.startHandshake();
				OutputStream out = socket.getOutputStream();
				out.write(request.getBytes(StandardCharsets.ISO_8859_1));
				out.flush();
				return RawResponse.parse(readAll(socket.getInputStream()));
			}
		}
	}

	/** A client TLS context that trusts any server certificate: tests talk to servers with certificates they made. */
	private static final class TrustAll implements javax.net.ssl.X509TrustManager {

		static final javax.net.ssl.SSLContext CONTEXT = context();

		private static javax.net.ssl.SSLContext context() {
			try {
				javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
				context.init(null, new javax.net.ssl.TrustManager[] { new TrustAll() }, null);
				return context;
			}
			catch (java.security.GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
		}

		@Override
		public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
		}

		@Override
		public java.security.cert.X509Certificate[] getAcceptedIssuers() {
			return new java.security.cert.X509Certificate[0];
		}

	}

	private static byte[] readAll(InputStream in) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			for (int n; (n = in.read(buffer)) != -1;) {
				bytes.write(buffer, 0, n);
			}
		}
		catch (SocketTimeoutException | java.net.SocketException ex) {
			// The server kept the connection open (keep-alive) or reset it: what arrived is the answer.
		}
		return bytes.toByteArray();
	}

	/** The first response in what the server sent; {@code status} is -1 if nothing arrived. */
	public record RawResponse(int status, Map<String, String> headers, String body, String raw) {

		public String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

		static RawResponse parse(byte[] bytes) {
			String raw = new String(bytes, StandardCharsets.ISO_8859_1);
			int end = raw.indexOf("\r\n\r\n");
			if (raw.isEmpty() || end < 0) {
				return new RawResponse(-1, Map.of(), "", raw);
			}
			String[] lines = raw.substring(0, end).split("\r\n");
			int status = Integer.parseInt(lines[0].split(" ")[1]);
			Map<String, String> headers = new LinkedHashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
			}
			return new RawResponse(status, headers, raw.substring(end + 4), raw);
		}

	}

}
