package io.portao.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A backend on loopback that writes down every request head exactly as it arrived (request line and header lines,
 * in order, as bytes) and answers with the raw response its {@code answers} function gives for the request
 * target: what a proxy sends and what it does with any response, byte for byte. Keeps connections alive
 * (each answer must carry its own framing; a request body is read by its {@code Content-Length} and dropped); one thread per connection, all daemons, closed with the backend.
 * A target starting with {@code /hang} gets no answer for {@code hang} (a response timeout).
 */
public final class RecordingBackend implements AutoCloseable {

	private final ServerSocket server;

	private final Function<String, String> answers;

	private final List<String> received = new CopyOnWriteArrayList<>();

	private final Map<Socket, Boolean> open = new ConcurrentHashMap<>();

	private final Duration hang;

	private RecordingBackend(ServerSocket server, Function<String, String> answers, Duration hang) {
		this.server = server;
		this.answers = answers;
		this.hang = hang;
		Thread acceptor = new Thread(this::accept, "recording-backend-" + server.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	public static RecordingBackend start(Function<String, String> answers, Duration hang) throws IOException {
		return new RecordingBackend(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), answers, hang);
	}

	public int port() {
		return this.server.getLocalPort();
	}

	public String uri() {
		return "http://127.0.0.1:" + port();
	}

	/** Every request head received so far, oldest first. */
	public List<String> received() {
		return List.copyOf(this.received);
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				this.open.put(socket, Boolean.TRUE);
				Thread connection = new Thread(() -> serve(socket), "recording-backend-connection");
				connection.setDaemon(true);
				connection.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			socket.setSoTimeout(30_000);
			InputStream in = socket.getInputStream();
			OutputStream out = socket.getOutputStream();
			while (true) {
				String head = readHead(in);
				if (head == null) {
					return;
				}
				this.received.add(head);
				String target = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
				if (target.startsWith("/hang")) {
					Thread.sleep(this.hang.toMillis());
					return;
				}
				in.readNBytes(contentLength(head));
				String answer = this.answers.apply(target);
				if (head.startsWith("HEAD ")) {
					// The head only: a body would be taken for the start of the next response.
					answer = answer.substring(0, answer.indexOf("\r\n\r\n") + 4);
				}
				out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
				out.flush();
			}
		}
		catch (IOException | InterruptedException ex) {
			// the proxy closed the connection, or the backend is closing
		}
		finally {
			this.open.remove(socket);
		}
	}

	/** The request's {@code Content-Length}, 0 without one (the proxies under test send no chunked body here). */
	private static int contentLength(String head) {
		for (String line : head.split("\r\n")) {
			if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
				return Integer.parseInt(line.substring(15).trim());
			}
		}
		return 0;
	}

	/** The head up to and without the blank line, or null at the end of the stream. Requests carry no body. */
	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		byte[] end = { '\r', '\n', '\r', '\n' };
		while (matched < 4) {
			int b;
			try {
				b = in.read();
			}
			catch (SocketException ex) {
				return null;
			}
			if (b < 0) {
				return null;
			}
			head.write(b);
			matched = (b == end[matched]) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		String text = head.toString(StandardCharsets.ISO_8859_1);
		return text.substring(0, text.length() - 4);
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		for (Socket socket : this.open.keySet()) {
			socket.close();
		}
	}

}
