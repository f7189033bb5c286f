package io.portao.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The chaos scenario of issue 14, with real processes on loopback: three instances of a small HTTP app behind a
 * proxy, keep-alive clients sending requests for 30 s; at 5 s one instance is killed (SIGKILL), at 10 s another is
 * frozen (SIGSTOP), at 20 s the killed one starts again on its port, at 25 s the frozen one resumes (SIGCONT).
 *
 * <p>The proxy is whatever {@link Proxy.Starter} starts on the three instances' ports: the packaged Portão jar with
 * the README's contract, or nginx with its defaults ({@link #nginxSite}), so that the same run measures both.
 * {@code bench/chaos.sh} runs it from the command line ({@link #main}).
 */
public final class ChaosScenario {

	/** The response timeout of both proxies: {@code response-timeout: 2s}, nginx {@code proxy_read_timeout 2s}. */
	public static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(2);

	/** The issue's timeline. */
	public record Timeline(Duration run, Duration kill, Duration freeze, Duration restart, Duration resume) {

		public static final Timeline ISSUE = new Timeline(Duration.ofSeconds(30), Duration.ofSeconds(5),
				Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(25));

	}

	/**
	 * A proxy in front of the instances: its port, what it logged so far (Portão's console, nginx's error log), and
	 * the process, stopped by {@link #close}.
	 */
	public record Proxy(int port, Callable<String> log, AutoCloseable process) implements AutoCloseable {

		@Override
		public void close() throws Exception {
			this.process.close();
		}

		/** Starts a proxy on these instance ports, with {@code dir} for its files. */
		public interface Starter {

			Proxy start(Path dir, List<Integer> instancePorts) throws Exception;

		}

	}

	private ChaosScenario() {
	}

	/**
	 * Runs the scenario once: starts three instances, the proxy, {@code connections} client threads sending
	 * {@code method} ({@code GET} or {@code POST}) for the timeline's length while the faults happen, then stops
	 * everything it started.
	 */
	public static ChaosResult run(String label, Proxy.Starter starter, String method, int connections, Timeline timeline,
			Path dir) throws Exception {
		List<FakeBackendProcess> instances = new ArrayList<>();
		try {
			for (String name : List.of("steady", "killed", "frozen")) {
				instances.add(FakeBackendProcess.start(label + "-" + name));
			}
			int killedPort = instances.get(1).port();
			try (Proxy proxy = starter.start(dir, instances.stream().map(FakeBackendProcess::port).toList())) {
				warmUp(proxy.port());
				ChaosResult result = new ChaosResult(label, method);
				ExecutorService clients = Executors.newFixedThreadPool(connections);
				long start = System.nanoTime();
				long end = start + timeline.run().toNanos();
				try {
					List<Future<?>> running = new ArrayList<>();
					for (int i = 0; i < connections; i++) {
						running.add(clients.submit(() -> loop(proxy.port(), method, end, result)));
					}
					sleepUntil(start, timeline.kill());
					instances.get(1).kill();
					sleepUntil(start, timeline.freeze());
					instances.get(2).freeze();
					sleepUntil(start, timeline.restart());
					instances.set(1, FakeBackendProcess.start(label + "-killed", killedPort));
					sleepUntil(start, timeline.resume());
					instances.get(2).resume();
					for (Future<?> future : running) {
						future.get(timeline.run().toSeconds() + 60, TimeUnit.SECONDS);
					}
				}
				finally {
					clients.shutdownNow();
				}
				proxy.log().call().lines().filter(ChaosScenario::isUpstreamEvent).forEach(result.events::add);
				return result;
			}
		}
		finally {
			for (FakeBackendProcess instance : instances) {
				instance.close();
			}
		}
	}

	/** A few requests first, so that the JIT and the proxy's pools are not what the run measures. */
	private static void warmUp(int port) throws Exception {
		ChaosResult ignored = new ChaosResult("warm-up", "GET");
		ExecutorService clients = Executors.newFixedThreadPool(8);
		try {
			long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
			List<Future<?>> running = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				running.add(clients.submit(() -> loop(port, "GET", end, ignored)));
			}
			for (Future<?> future : running) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			clients.shutdownNow();
		}
	}

	private static void sleepUntil(long start, Duration at) throws InterruptedException {
		long wait = TimeUnit.NANOSECONDS.toMillis(start + at.toNanos() - System.nanoTime());
		if (wait > 0) {
			Thread.sleep(wait);
		}
	}

	private static void loop(int port, String method, long end, ChaosResult result) {
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		URI uri = URI.create("http://127.0.0.1:" + port + "/x");
		HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString("order=42");
		while (System.nanoTime() < end) {
			// 30 s: far above what either proxy should take, so that a hang is counted, not waited for forever.
			HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).method(method,
					"POST".equals(method) ? body : HttpRequest.BodyPublishers.noBody()).build();
			long sent = System.nanoTime();
			try {
				result.answered(client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Exception ex) {
				result.noAnswer(ex);
			}
			result.took(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
		}
	}

	/** Portão's ejection and budget warnings; nginx's "upstream timed out" and "marked as failed" lines. */
	private static boolean isUpstreamEvent(String line) {
		return line.contains("ejected") || line.contains("budget") || line.contains("upstream timed out")
				|| line.contains("failed (");
	}


	/**
	 * {@code bench/chaos.sh}: {@code [--runs N] [--methods GET,POST] [--proxies nginx,portao] [--connections N]
	 * [--verbose]}. Prints one line per run and proxy (with {@code --verbose}, the proxy's ejections too), and exits 1
	 * if any GET run of Portão had an error.
	 */
	public static void main(String[] args) throws Exception {
		int runs = 1;
		int connections = 50;
		List<String> methods = List.of("GET", "POST");
		List<String> proxies = List.of("nginx", "portao");
		boolean verbose = false;
		for (int i = 0; i < args.length; i += 2) {
			if ("--verbose".equals(args[i])) {
				verbose = true;
				i--;
				continue;
			}
			switch (args[i]) {
				case "--runs" -> runs = Integer.parseInt(args[i + 1]);
				case "--connections" -> connections = Integer.parseInt(args[i + 1]);
				case "--methods" -> methods = List.of(args[i + 1].split(","));
				case "--proxies" -> proxies = List.of(args[i + 1].split(","));
				default -> throw new IllegalArgumentException("unknown option " + args[i]);
			}
		}
		// Interrupted (Ctrl-C, SIGTERM): the instances, nginx and Portão it started go with it.
		Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants()
			.forEach(ProcessHandle::destroyForcibly)));
		boolean failed = false;
		for (int run = 1; run <= runs; run++) {
			for (String method : methods) {
				for (String proxy : proxies) {
					Path dir = Files.createTempDirectory("chaos-" + proxy);
					ChaosResult result;
					try {
						result = run(proxy, "nginx".equals(proxy) ? ChaosProxies.nginx() : ChaosProxies.portao(List.of()), method,
								connections, Timeline.ISSUE, dir);
					}
					finally {
						org.springframework.util.FileSystemUtils.deleteRecursively(dir);
					}
					System.out.println("run " + run + ": " + result);
					if (verbose) {
						result.events().forEach(event -> System.out.println("    " + event));
					}
					failed |= "portao".equals(proxy) && "GET".equals(method) && result.errors() > 0;
				}
			}
		}
		System.exit(failed ? 1 : 0);
	}

}
