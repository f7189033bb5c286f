package io.portao.support;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A few keep-alive clients sending {@code GET <prefix><n>} to a proxy on loopback in a loop while a test changes
 * something under them (a drain, a reload), recording every answer that is not a 200 and every broken exchange.
 * Bounded: each client stops at {@link #stop()}, after {@code maxRequests}, or after {@code maxTime}.
 */
public final class KeepAliveLoad {

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

	private final ExecutorService clients;

	private final List<Future<Integer>> answered = new ArrayList<>();

	private final String prefix;

	private KeepAliveLoad(int clients, String prefix) {
		this.clients = Executors.newFixedThreadPool(clients);
		this.prefix = prefix;
	}

	/** What the clients saw: how many requests were answered, and each failure. */
	public record Result(int answered, List<String> failures) {
	}

	/**
	 * Starts {@code clients} clients on 127.0.0.1:{@code port}, each pausing {@code pause} between requests (zero:
	 * back to back).
	 */
	public static KeepAliveLoad start(int port, int clients, String prefix, Duration pause, int maxRequests,
			Duration maxTime) {
		KeepAliveLoad load = new KeepAliveLoad(clients, prefix);
		for (int c = 0; c < clients; c++) {
			load.answered.add(load.clients.submit(() -> load.run(port, prefix, pause, maxRequests, maxTime)));
		}
		return load;
	}

	private int run(int port, String prefix, Duration pause, int maxRequests, Duration maxTime) {
		GatewayClient client = new GatewayClient(port);
		long deadline = System.nanoTime() + maxTime.toNanos();
		int answered = 0;
		for (int i = 0; this.running.get() && i < maxRequests && System.nanoTime() < deadline; i++) {
			try {
				HttpResponse<String> response = client.get(prefix + i);
				answered++;
				if (response.statusCode() != 200) {
					this.failures.add(response.statusCode() + " " + response.body());
				}
				if (!pause.isZero()) {
					Thread.sleep(pause.toMillis());
				}
			}
			catch (RuntimeException | InterruptedException ex) {
				this.failures.add(ex.toString());
			}
		}
		return answered;
	}

	/** How many of this load's requests {@code backend} has received so far. */
	public int receivedBy(FakeBackend backend) {
		return (int) backend.received().stream().filter(echo -> echo.uri().startsWith(this.prefix)).count();
	}

	/** Stops the clients after their current request and waits for them (at most 30 s). */
	public Result stop() throws InterruptedException, ExecutionException {
		this.running.set(false);
		this.clients.shutdown();
		if (!this.clients.awaitTermination(30, TimeUnit.SECONDS)) {
			this.clients.shutdownNow();
			throw new IllegalStateException("the load clients did not stop within 30 s");
		}
		int total = 0;
		for (Future<Integer> client : this.answered) {
			total += client.get();
		}
		return new Result(total, List.copyOf(this.failures));
	}

}
