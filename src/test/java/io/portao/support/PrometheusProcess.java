package io.portao.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Debian's Prometheus ({@code apt-get install prometheus}, which {@code .ci/run} does) started as a child process on
 * a free loopback port, scraping one target on loopback every second, with its data in a test's directory; queried
 * over its HTTP API. Stopped by its PID.
 */
public final class PrometheusProcess implements AutoCloseable {

	public static final Path BINARY = Path.of("/usr/bin/prometheus");

	/** Set to {@code true} (CI does) to fail instead of skipping when Prometheus is not installed. */
	public static final String REQUIRE_PROPERTY = "portao.require-prometheus";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private final Process process;

	private final int port;

	private final Path dir;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private PrometheusProcess(Process process, int port, Path dir) {
		this.process = process;
		this.port = port;
		this.dir = dir;
	}

	/** Skips the test when Prometheus is missing, unless {@link #REQUIRE_PROPERTY} is {@code true}. */
	public static void assumeInstalled() {
		if (Files.isExecutable(BINARY)) {
			return;
		}
		RequiredTools.missing(REQUIRE_PROPERTY, BINARY + " is not installed (apt-get install prometheus; .ci/run "
				+ "installs it): skipping the dashboard test");
	}

	/**
	 * Starts Prometheus scraping {@code http://127.0.0.1:<targetPort><path>} as job {@code job} every second, with
	 * the rule files given (none: an empty list), evaluated every second too.
	 */
	public static PrometheusProcess start(Path dir, String job, int targetPort, String path, Path... ruleFiles)
			throws IOException, InterruptedException {
		int port = FreePorts.next();
		StringBuilder config = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n");
		if (ruleFiles.length > 0) {
			config.append("rule_files:\n");
			for (Path rules : ruleFiles) {
				config.append("  - ").append(rules.toAbsolutePath()).append('\n');
			}
		}
		config.append("scrape_configs:\n  - job_name: ").append(job).append('\n')
			.append("    metrics_path: ").append(path).append('\n')
			.append("    static_configs:\n      - targets: ['127.0.0.1:").append(targetPort).append("']\n");
		Path file = Files.writeString(dir.resolve("prometheus.yml"), config.toString());
		Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + file,
				"--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
				"--web.console.templates=" + dir, "--web.console.libraries=" + dir)
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("prometheus.log").toFile())
			.start();
		PrometheusProcess prometheus = new PrometheusProcess(process, port, dir);
		prometheus.awaitReady();
		return prometheus;
	}

	private void awaitReady() throws IOException, InterruptedException {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("prometheus exited with " + this.process.exitValue() + ": " + log());
			}
			try {
				if (get("/-/ready").statusCode() == 200) {
					return;
				}
			}
			catch (IOException notYet) {
				// not listening yet
			}
			Thread.sleep(200);
		}
		close();
		throw new IllegalStateException("prometheus not ready within " + START_TIMEOUT + ": " + log());
	}

	private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + pathAndQuery))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The {@code data.result} of an instant query; fails on a query Prometheus refuses. */
	public JsonNode query(String promql) throws IOException, InterruptedException {
		HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
		JsonNode body = new ObjectMapper().readTree(response.body());
		if (response.statusCode() != 200 || !"success".equals(body.path("status").asString())) {
			throw new AssertionError("prometheus refused " + promql + ": " + response.body());
		}
		return body.path("data").path("result");
	}

	/** The {@code data.alerts} of {@code /api/v1/alerts}. */
	public JsonNode alerts() throws IOException, InterruptedException {
		return new ObjectMapper().readTree(get("/api/v1/alerts").body()).path("data").path("alerts");
	}

	public String log() throws IOException {
		Path log = this.dir.resolve("prometheus.log");
		return Files.exists(log) ? Files.readString(log) : "";
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

}
