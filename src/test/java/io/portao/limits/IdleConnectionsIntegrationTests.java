package io.portao.limits;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.portao.support.FakeBackend;
import io.portao.support.GatewayClient;
import io.portao.support.PortaoJar;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 10,000 idle client connections held open against the packaged jar (a child process, so that its file
 * descriptors and memory are its own): it keeps serving new requests and health checks, and its resident memory
 * stays bounded. The figures are printed; the bound asserted is generous (1 GiB RSS).
 */
class IdleConnectionsIntegrationTests {

	static final int CONNECTIONS = 10_000;

	/** The connections, plus the JVM's own files (jars, sockets of the backend and clients). */
	static final long FILES_NEEDED = CONNECTIONS + 2000;

	/** Set to {@code true} (CI does) to fail instead of skipping when the open-file limit is too low. */
	static final String REQUIRE_PROPERTY = "portao.require-file-limit";

	static final FakeBackend backend = FakeBackend.start("backend-a");

	@AfterAll
	static void stop() {
		backend.close();
	}

	@Test
	void tenThousandIdleConnectionsLeaveTheGatewayServing(@TempDir Path dir) throws Exception {
		requireFileLimit();
		List<SocketChannel> idle = new ArrayList<>(CONNECTIONS);
		try (PortaoJar gateway = PortaoJar.startContract(dir, List.of(backend.uri()))) {
			GatewayClient client = new GatewayClient(gateway.port());
			assertThat(client.get("/warm-up").statusCode()).isEqualTo(200);
			long rssBefore = gateway.rssKib();
			openIdle(idle, gateway.port(), Duration.ofSeconds(120));
			Thread.sleep(2000);
			long rssWith = gateway.rssKib();

			for (int i = 0; i < 20; i++) {
				assertThat(client.get("/new-" + i).statusCode()).isEqualTo(200);
			}
			HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + gateway.managementPort() + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
			long stillOpen = idle.stream().filter(SocketChannel::isConnected).filter(IdleConnectionsIntegrationTests::open).count();
			System.out.printf("idle connections: %d open; gateway RSS %d MiB before, %d MiB with them (%.1f KiB each)%n",
					stillOpen, rssBefore / 1024, rssWith / 1024, (rssWith - rssBefore) / (double) CONNECTIONS);
			assertThat(health.statusCode()).isEqualTo(200);
			assertThat(stillOpen).isEqualTo(CONNECTIONS);
			assertThat(rssWith).isLessThan(1024 * 1024);
		}
		finally {
			for (SocketChannel channel : idle) {
				channel.close();
			}
		}
	}

	/**
	 * Skips the test when this process may not open enough files, or fails it when {@value #REQUIRE_PROPERTY} is
	 * {@code true}. The gateway, a child process, inherits the limit.
	 */
	private static void requireFileLimit() {
		long maxFiles = ((com.sun.management.UnixOperatingSystemMXBean) java.lang.management.ManagementFactory
			.getOperatingSystemMXBean()).getMaxFileDescriptorCount();
		if (maxFiles > FILES_NEEDED) {
			return;
		}
		String message = "needs an open-file limit above " + FILES_NEEDED + ", is " + maxFiles
				+ " (ulimit -Hn; .ci/run raises the soft limit to the hard one)";
		if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
			throw new AssertionError(message + ", and " + REQUIRE_PROPERTY + "=true");
		}
		Assumptions.abort(message + ": skipping");
	}

	private static void openIdle(List<SocketChannel> idle, int port, Duration limit) throws Exception {
		long end = System.nanoTime() + limit.toNanos();
		InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
		while (idle.size() < CONNECTIONS && System.nanoTime() < end) {
			SocketChannel channel = SocketChannel.open(address);
			channel.configureBlocking(false);
			idle.add(channel);
		}
		assertThat(idle).hasSize(CONNECTIONS);
	}

	/** Whether the server still holds the connection open (a read finds neither data nor end of stream). */
	private static boolean open(SocketChannel channel) {
		try {
			return channel.read(ByteBuffer.allocate(1)) == 0;
		}
		catch (java.io.IOException closed) {
			return false;
		}
	}

}
