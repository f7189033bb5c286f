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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

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

	/** The issue's timeline; {@link #scaled} shortens it for a quicker run. */
	public record Timeline(Duration run, Duration kill, Duration freeze, Duration restart, Duration resume) {

		public static final Timeline ISSUE = new Timeline(Duration.ofSeconds(30), Duration.ofSeconds(5),
				Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(25));

	}

	/** A proxy in front of the instances, stopped by {@link #close}. */
	public interface Proxy extends AutoCloseable {

		int port();

		/** What the proxy logged so far (Portão's console, nginx's error log). */
		String log() throws Exception;

		/** Starts a proxy on these instance ports, with {@code dir} for its files. */
		interface Starter {

			Proxy start(Path dir, List<Integer> instancePorts) throws Exception;

		}

	}

	/** What the clients saw. */
	public static final class Result {

		final String proxy;

		final String method;

		final LongAdder ok = new LongAdder();

		final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();

		final LongAdder broken = new LongAdder();

		final Map<String, LongAdder> brokenCauses = new ConcurrentHashMap<>();

		final LongAdder slow = new LongAdder();

		final AtomicLong slowest = new AtomicLong();

		final List<String> events = new ArrayList<>();

		Result(String proxy, String method) {
			this.proxy = proxy;
			this.method = method;
		}

		public long ok() {
			return this.ok.sum();
		}

		/** Answers other than 200, and requests without an answer (reset, closed, timed out). */
		public long errors() {
			return this.statuses.values().stream().mapToLong(LongAdder::sum).sum() + this.broken.sum();
		}

		/** Requests that got no HTTP answer at all. */
		public long broken() {
			return this.broken.sum();
		}

		/** The non-200 answers by status. */
		public Map<Integer, Long> statuses() {
			Map<Integer, Long> counts = new TreeMap<>();
			this.statuses.forEach((status, count) -> counts.put(status, count.sum()));
			return counts;
		}

		public long requests() {
			return ok() + errors();
		}

		/** Requests that took longer than the response timeout: they waited on the frozen instance. */
		public long slow() {
			return this.slow.sum();
		}

		/** The proxy's log lines on ejections, budget refusals and upstream timeouts, for the record. */
		public List<String> events() {
			return this.events;
		}

		@Override
		public String toString() {
			return String.format("%-6s %-4s requests %7d, errors %4d (%s; no answer %d%s), slower than %d s %d, "
					+ "slowest %d ms", this.proxy, this.method, requests(), errors(), statuses(), broken(),
					this.brokenCauses.isEmpty() ? "" : " " + this.brokenCauses, RESPONSE_TIMEOUT.toSeconds(), slow(),
					this.slowest.get());
		}

	}

	private ChaosScenario() {
	}

	/**
	 * Runs the scenario once: starts three instances, the proxy, {@code connections} client threads sending
	 * {@code method} ({@code GET} or {@code POST}) for the timeline's length while the faults happen, then stops
	 * everything it started.
	 */
	public static Result run(String label, Proxy.Starter starter, String method, int connections, Timeline timeline,
			Path dir) throws Exception {
		List<FakeBackendProcess> instances = new ArrayList<>();
		try {
			for (String name : List.of("steady", "killed", "frozen")) {
				instances.add(FakeBackendProcess.start(label + "-" + name));
			}
			int killedPort = instances.get(1).port();
			try (Proxy proxy = starter.start(dir, instances.stream().map(FakeBackendProcess::port).toList())) {
				warmUp(proxy.port());
				Result result = new Result(label, method);
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
				proxy.log().lines().filter(ChaosScenario::isUpstreamEvent).forEach(result.events::add);
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
		Result ignored = new Result("warm-up", "GET");
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

	private static void loop(int port, String method, long end, Result result) {
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
				HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() == 200) {
					result.ok.increment();
				}
				else {
					result.statuses.computeIfAbsent(response.statusCode(), s -> new LongAdder()).increment();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Exception ex) {
				result.broken.increment();
				result.brokenCauses.computeIfAbsent(ex.getClass().getSimpleName(), c -> new LongAdder()).increment();
			}
			long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
			result.slowest.accumulateAndGet(took, Math::max);
			if (took > RESPONSE_TIMEOUT.toMillis()) {
				result.slow.increment();
			}
		}
	}

	/** Portão's ejection and budget warnings; nginx's "upstream timed out" and "marked as failed" lines. */
	private static boolean isUpstreamEvent(String line) {
		return line.contains("ejected") || line.contains("budget") || line.contains("upstream timed out")
				|| line.contains("failed (");
	}

	/** The packaged jar with the README's contract plus the 2 s response timeout, nothing else. */
	public static Proxy.Starter portao(List<String> extraArgs) {
		return (dir, ports) -> {
			int port = FreePorts.next();
			Path yaml = dir.resolve("chaos.yml");
			Files.writeString(yaml, ContractProperties.yaml(port, ports.stream().map(p -> "http://127.0.0.1:" + p).toList())
					+ "spring.cloud.gateway.server.webflux.httpclient.response-timeout: "
					+ RESPONSE_TIMEOUT.toSeconds() + "s\n");
			List<String> args = new ArrayList<>(List.of("--spring.config.additional-location=file:" + yaml,
					"--management.server.port=" + FreePorts.next()));
			args.addAll(extraArgs);
			PortaoJar jar = PortaoJar.start(dir, args, port);
			return new Proxy() {

				@Override
				public int port() {
					return port;
				}

				@Override
				public String log() throws Exception {
					return jar.log();
				}

				@Override
				public void close() throws Exception {
					jar.close();
				}

			};
		};
	}

	/** nginx with its defaults ({@code proxy_next_upstream error timeout}, {@code max_fails=1 fail_timeout=10s}). */
	public static Proxy.Starter nginx() {
		return (dir, ports) -> {
			int port = FreePorts.next();
			NginxProcess nginx = NginxProcess.startSite(dir, nginxSite(port, ports), port);
			return new Proxy() {

				@Override
				public int port() {
					return port;
				}

				@Override
				public String log() throws Exception {
					return nginx.log();
				}

				@Override
				public void close() {
					nginx.close();
				}

			};
		};
	}

	/** The reference site's proxy location with nginx's defaults and {@code proxy_read_timeout 2s}. */
	static String nginxSite(int port, List<Integer> ports) {
		StringBuilder site = new StringBuilder("upstream bapis {\n");
		ports.forEach(p -> site.append("    server 127.0.0.1:").append(p).append(";\n"));
		site.append("}\nserver {\n    listen 127.0.0.1:").append(port).append(";\n    location / {\n")
			.append("        proxy_pass_header Server;\n        proxy_set_header Host $http_host;\n")
			.append("        proxy_redirect off;\n        proxy_set_header X-Real-IP $remote_addr;\n")
			.append("        proxy_set_header X-Scheme $scheme;\n")
			.append("        proxy_read_timeout ").append(RESPONSE_TIMEOUT.toSeconds()).append("s;\n")
			.append("        proxy_pass http://bapis;\n    }\n}\n");
		return site.toString();
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
					Result result;
					try {
						result = run(proxy, "nginx".equals(proxy) ? nginx() : portao(List.of()), method,
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
