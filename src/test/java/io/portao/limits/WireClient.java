package io.portao.limits;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends raw bytes and tells whether the server closed the connection after answering, which
 * {@code RawHttpClient} does not: a refused request must also leave nothing on the connection to smuggle through.
 */
final class WireClient {

	private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

	private WireClient() {
	}

	/** What came back, and whether the server closed the connection within the timeout. */
	record Answer(int status, String raw, boolean closed) {

		static Answer of(byte[] bytes, boolean closed) {
			String raw = new String(bytes, StandardCharsets.ISO_8859_1);
			int status = -1;
			if (raw.startsWith("HTTP/") && raw.length() >= 12) {
				status = Integer.parseInt(raw.substring(9, 12));
			}
			return new Answer(status, raw, closed);
		}

		/** How many status lines the server wrote (a smuggled request would add one). */
		int responses() {
			return raw.split("HTTP/1\\.[01] \\d{3}", -1).length - 1;
		}

	}

	static Answer send(int port, byte[] request, Duration timeout) throws IOException {
		return send(port, request, timeout, false);
	}

	/**
	 * As {@link #send(int, byte[], Duration)}, but done as soon as one response framed by {@code Content-Length}
	 * is complete, for servers that keep a served connection open ({@code closed} then says only whether they had
	 * closed it by then).
	 */
	static Answer exchange(int port, byte[] request, Duration timeout) throws IOException {
		return send(port, request, timeout, true);
	}

	private static Answer send(int port, byte[] request, Duration timeout, boolean oneAnswer) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
			socket.setSoTimeout((int) timeout.toMillis());
			try {
				socket.getOutputStream().write(request);
				socket.getOutputStream().flush();
			}
			catch (SocketException ex) {
				// The server answered and closed before all was written: read what it said.
			}
			return read(socket.getInputStream(), oneAnswer);
		}
	}

	private static Answer read(InputStream in, boolean oneAnswer) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			for (int n; (n = in.read(buffer)) != -1;) {
				bytes.write(buffer, 0, n);
				if (oneAnswer && complete(bytes.toString(StandardCharsets.ISO_8859_1))) {
					return Answer.of(bytes.toByteArray(), false);
				}
			}
			return Answer.of(bytes.toByteArray(), true);
		}
		catch (SocketTimeoutException ex) {
			return Answer.of(bytes.toByteArray(), false);
		}
		catch (SocketException reset) {
			return Answer.of(bytes.toByteArray(), true);
		}
	}

	/** Whether {@code raw} holds a whole head and as many body bytes as its {@code Content-Length} says. */
	private static boolean complete(String raw) {
		int headEnd = raw.indexOf("\r\n\r\n");
		if (headEnd < 0) {
			return false;
		}
		Matcher length = CONTENT_LENGTH.matcher(raw.substring(0, headEnd));
		return length.find() && raw.length() >= headEnd + 4 + Integer.parseInt(length.group(1));
	}

}
