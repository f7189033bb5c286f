package io.portao.limits;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.limits.WireClient.Answer;
import io.portao.support.ContractProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance answering with invalid framing (not HTTP, conflicting lengths, a bad status line): the client gets
 * {@code 502} from the gateway, and the connection to the instance is not reused for the next request.
 */
@SpringBootTest(classes = io.portao.PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0" })
class UpstreamFramingIntegrationTests {

	static final GarbageInstance instance = new GarbageInstance();

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.registerUris(registry, java.util.List.of(() -> "http://127.0.0.1:" + instance.port()));
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() throws IOException {
		instance.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "garbage\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
			"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nhello", "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n" })
	void invalidUpstreamFramingGets502AndTheConnectionIsDropped(String answer) throws Exception {
		instance.answer = answer;
		int connectionsBefore = instance.connections.get();
		Answer first = WireClient.send(this.port,
				"GET /a HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
				Duration.ofSeconds(10));
		Answer second = WireClient.send(this.port,
				"GET /b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
				Duration.ofSeconds(10));
		assertThat(first.status()).as(first.raw()).isEqualTo(502);
		assertThat(second.status()).as(second.raw()).isEqualTo(502);
		assertThat(instance.connections.get() - connectionsBefore).as("a new connection per request").isEqualTo(2);
	}

	/** A loopback "instance" that answers every request with the same bytes and keeps the connection open. */
	static final class GarbageInstance implements AutoCloseable {

		final ServerSocket server;

		final AtomicInteger connections = new AtomicInteger();

		volatile String answer = "";

		GarbageInstance() {
			try {
				this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			Thread acceptor = new Thread(this::accept, "garbage-instance");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		int port() {
			return this.server.getLocalPort();
		}

		private void accept() {
			while (!this.server.isClosed()) {
				try {
					Socket socket = this.server.accept();
					this.connections.incrementAndGet();
					Thread handler = new Thread(() -> serve(socket), "garbage-connection");
					handler.setDaemon(true);
					handler.start();
				}
				catch (IOException closed) {
					return;
				}
			}
		}

		private void serve(Socket socket) {
			try (socket) {
				socket.setSoTimeout(15000);
				InputStream in = socket.getInputStream();
				StringBuilder head = new StringBuilder();
				for (int b; !head.toString().endsWith("\r\n\r\n") && (b = in.read()) != -1;) {
					head.append((char) b);
				}
				socket.getOutputStream().write(this.answer.getBytes(StandardCharsets.ISO_8859_1));
				socket.getOutputStream().flush();
				in.read();
			}
			catch (SocketException | java.net.SocketTimeoutException ex) {
				// The gateway dropped the connection, or never came back: both fine.
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public void close() throws IOException {
			this.server.close();
		}

	}

}
