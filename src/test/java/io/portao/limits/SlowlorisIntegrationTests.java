package io.portao.limits;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slowloris: 200 connections each trickling a header line every 250 ms are closed at the header deadline (2 s
 * here), not held for {@code idle-timeout} per byte, while a normal client keeps being served. Only generous
 * bounds are asserted (the machine is shared); the normal client's p99 is printed.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0", "portao.limits.header-timeout=2s" })
class SlowlorisIntegrationTests {

	static final int ATTACKERS = 200;

	static final Duration DEADLINE = Duration.ofSeconds(2);

	static final FakeBackend backend = FakeBackend.start("backend-a");

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, backend);
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() {
		backend.close();
	}

	@Test
	void tricklingConnectionsAreClosedAtTheDeadlineWhileOthersAreServed() throws Exception {
		ExecutorService normal = Executors.newSingleThreadExecutor();
		List<SocketChannel> attackers = new ArrayList<>();
		try {
			normalClient(Duration.ofSeconds(2));
			long[] started = new long[ATTACKERS];
			for (int i = 0; i < ATTACKERS; i++) {
				SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", this.port));
				channel.configureBlocking(false);
				started[i] = System.nanoTime();
				write(channel, "GET / HTTP/1.1\r\nHost: h\r\n");
				attackers.add(channel);
			}
			Future<long[]> latencies = normal.submit(() -> normalClient(Duration.ofSeconds(8)));
			long[] closedAfter = trickleUntilClosed(attackers, started, Duration.ofSeconds(30));
			long[] served = latencies.get();

			long maxClose = Arrays.stream(closedAfter).max().orElseThrow();
			long minClose = Arrays.stream(closedAfter).min().orElseThrow();
			System.out.printf("slowloris: %d connections closed between %d and %d ms (deadline %d ms); normal client "
					+ "%d requests, p50 %d ms, p99 %d ms%n", ATTACKERS, minClose, maxClose, DEADLINE.toMillis(),
					served.length, percentile(served, 50), percentile(served, 99));
			assertThat(minClose).isGreaterThanOrEqualTo(DEADLINE.toMillis() - 100);
			assertThat(maxClose).isLessThan(DEADLINE.toMillis() + 20_000);
			assertThat(served.length).isGreaterThan(3);
			assertThat(percentile(served, 99)).isLessThan(15_000);
		}
		finally {
			normal.shutdownNow();
			for (SocketChannel channel : attackers) {
				channel.close();
			}
		}
	}

	/** Sends one header line per connection every 250 ms; returns when each closed (ms after its first byte). */
	private static long[] trickleUntilClosed(List<SocketChannel> channels, long[] started, Duration limit)
			throws Exception {
		long[] closed = new long[channels.size()];
		Arrays.fill(closed, -1);
		ByteBuffer sink = ByteBuffer.allocate(1024);
		long end = System.nanoTime() + limit.toNanos();
		int open = channels.size();
		for (int round = 0; open > 0 && System.nanoTime() < end; round++) {
			for (int i = 0; i < channels.size(); i++) {
				if (closed[i] >= 0) {
					continue;
				}
				SocketChannel channel = channels.get(i);
				sink.clear();
				int read = readQuietly(channel, sink);
				if (read != 0 || !write(channel, "X-" + round + ": a\r\n")) {
					closed[i] = (System.nanoTime() - started[i]) / 1_000_000;
					open--;
				}
			}
			Thread.sleep(250);
		}
		return closed;
	}

	/** -1 at end of stream or reset, the bytes read otherwise (the 408), 0 while the connection is open and silent. */
	private static int readQuietly(SocketChannel channel, ByteBuffer sink) {
		try {
			return channel.read(sink);
		}
		catch (java.io.IOException reset) {
			return -1;
		}
	}

	private static boolean write(SocketChannel channel, String text) {
		try {
			channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
			return true;
		}
		catch (java.io.IOException closed) {
			return false;
		}
	}

	private long[] normalClient(Duration duration) {
		GatewayClient client = new GatewayClient(this.port);
		List<Long> latencies = new ArrayList<>();
		long end = System.nanoTime() + duration.toNanos();
		for (int i = 0; i < 2000 && System.nanoTime() < end; i++) {
			long t = System.nanoTime();
			assertThat(client.get("/normal").statusCode()).isEqualTo(200);
			latencies.add((System.nanoTime() - t) / 1_000_000);
		}
		return latencies.stream().mapToLong(Long::longValue).sorted().toArray();
	}

	private static long percentile(long[] sorted, int p) {
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)];
	}

}
