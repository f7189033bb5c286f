package io.portao.limits;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * A client that writes its whole request, head and body, before it reads a byte of the answer, as Python's
 * {@code http.client} and {@code requests} and many upload tools do (curl, which reads while it sends, is not
 * one). If the server closes while such a client is still writing, the client sees {@code Connection reset by
 * peer} or {@code Broken pipe} on its write and never reads the answer that was sent.
 */
final class UploadFirstClient {

	static final int PIECE = 64 * 1024;

	private static final byte[] CRLF = { '\r', '\n' };

	private UploadFirstClient() {
	}

	/** What the client saw: the answer it read, whether it read to EOF, and the error that stopped it, if any. */
	record Outcome(String answer, boolean eof, IOException writeError, IOException readError) {

		int status() {
			return (this.answer.startsWith("HTTP/1.1 ") && this.answer.length() >= 12)
					? Integer.parseInt(this.answer.substring(9, 12)) : -1;
		}

		/** The body after the head, as the client would show it. */
		String body() {
			int end = this.answer.indexOf("\r\n\r\n");
			return (end < 0) ? "" : this.answer.substring(end + 4);
		}

		@Override
		public String toString() {
			return "answer=" + this.answer + ", eof=" + this.eof + ", writeError=" + this.writeError + ", readError="
					+ this.readError;
		}

	}

	static Socket connect(int port) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
		return socket;
	}

	/**
	 * Writes {@code head} (ending with its blank line), then {@code bodyBytes} of body, in {@code chunked} framing
	 * (with the last chunk) or as they are, then reads until EOF.
	 */
	static Outcome upload(Socket socket, String head, long bodyBytes, boolean chunked, Duration readTimeout)
			throws IOException {
		socket.setSoTimeout((int) readTimeout.toMillis());
		IOException writeError = null;
		try {
			OutputStream out = socket.getOutputStream();
			out.write(head.getBytes(StandardCharsets.ISO_8859_1));
			writeBody(out, bodyBytes, chunked);
			out.flush();
		}
		catch (IOException ex) {
			writeError = ex;
		}
		return read(socket.getInputStream(), writeError);
	}

	static void writeBody(OutputStream out, long bodyBytes, boolean chunked) throws IOException {
		byte[] piece = new byte[PIECE];
		Arrays.fill(piece, (byte) 'x');
		for (long left = bodyBytes; left > 0; left -= PIECE) {
			int n = (int) Math.min(left, PIECE);
			if (chunked) {
				out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
			}
			out.write(piece, 0, n);
			if (chunked) {
				out.write(CRLF);
			}
		}
		if (chunked) {
			out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		}
	}

	static Outcome read(InputStream in, IOException writeError) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			for (int n; (n = in.read(buffer)) != -1;) {
				bytes.write(buffer, 0, n);
			}
			return new Outcome(bytes.toString(StandardCharsets.ISO_8859_1), true, writeError, null);
		}
		catch (SocketTimeoutException ex) {
			return new Outcome(bytes.toString(StandardCharsets.ISO_8859_1), false, writeError, ex);
		}
		catch (IOException ex) {
			return new Outcome(bytes.toString(StandardCharsets.ISO_8859_1), false, writeError, ex);
		}
	}

	/**
	 * Reads one response head and its {@code Content-Length} body, without waiting for EOF (a trickling sender
	 * reads its answer first).
	 */
	static String readResponse(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("EOF inside the response head: " + head);
			}
			head.append((char) b);
		}
		String length = head.toString().replaceAll("(?si).*content-length: (\\d+).*", "$1");
		return head + new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.ISO_8859_1);
	}

}
