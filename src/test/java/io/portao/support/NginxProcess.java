package io.portao.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;


/**
 * Debian's real nginx running the reference {@code conf.d/bapi.conf} (shared/reference) with only paths and ports
 * substituted, as a child process on loopback: the oracle of the differential tests.
 *
 * <p>Everything nginx writes (pid, logs, temp files) stays in the given directory, so that it runs beside any
 * system nginx and leaves nothing behind. It is stopped by its own PID, never by name.
 */
public final class NginxProcess implements AutoCloseable {

	/** Where Debian's {@code nginx}, {@code nginx-light} and {@code nginx-full} packages install the binary. */
	public static final Path BINARY = Path.of("/usr/sbin/nginx");

	/** Debian's mime types, which the reference {@code nginx.conf} includes. */
	public static final Path MIME_TYPES = Path.of("/etc/nginx/mime.types");

	/** Set to {@code true} (CI does) to fail instead of skipping when nginx is not installed. */
	public static final String REQUIRE_PROPERTY = "portao.require-nginx";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	// The reference nginx.conf's http block, minus what would write outside the temp dir, around one site file
	// (ReferenceConfig: a conf.d file of the reference with only ports and paths substituted).
	private static final String CONFIG = """
			@USER@
			daemon off;
			master_process on;
			worker_processes 1;
			pid @DIR@/nginx.pid;
			error_log @DIR@/error.log info;

			events {
			    worker_connections 256;
			}

			http {
			    include       @MIME_TYPES@;
			    default_type  application/octet-stream;
			    access_log    @DIR@/access.log;
			    client_body_temp_path @DIR@/client_body;
			    proxy_temp_path       @DIR@/proxy;
			    fastcgi_temp_path     @DIR@/fastcgi;
			    uwsgi_temp_path       @DIR@/uwsgi;
			    scgi_temp_path        @DIR@/scgi;
			    sendfile        on;
			    keepalive_timeout  65;

			    include @SITE@;
			}
			""";

	private final Process process;

	private final int port;

	private final Path dir;

	private NginxProcess(Process process, int port, Path dir) {
		this.process = process;
		this.port = port;
		this.dir = dir;
	}

	/**
	 * Skips the calling test when nginx is not installed, or fails it when {@value #REQUIRE_PROPERTY} is
	 * {@code true}: CI must never pass by skipping the comparison.
	 */
	public static void assumeInstalled() {
		if (Files.isExecutable(BINARY)) {
			return;
		}
		RequiredTools.missing(REQUIRE_PROPERTY, BINARY + " is not installed (apt-get install nginx-light; .ci/run "
				+ "installs it): skipping the differential tests against nginx");
	}

	/**
	 * Starts nginx on a free loopback port in front of {@code upstreamPorts}, serving {@code /static/} from
	 * {@code root} (nginx {@code root}: {@code /static/x} is read from {@code root/static/x}), and waits until it
	 * accepts connections.
	 */
	public static NginxProcess start(Path dir, List<Integer> upstreamPorts, Path root) throws IOException {
		int port = FreePorts.next();
		return startSite(dir, ReferenceConfig.forTest(ReferenceConfig.BAPI, port, upstreamPorts, root, null), port);
	}

	/**
	 * Starts nginx with {@code site} (an {@code http}-context file such as the reference {@code conf.d/bapi.conf},
	 * listening on 127.0.0.1:{@code port}) and waits until it accepts connections.
	 */
	public static NginxProcess startSite(Path dir, String site, int port) throws IOException {
		Path siteFile = dir.resolve("site.conf");
		Files.writeString(siteFile, site);
		Path config = dir.resolve("nginx.conf");
		Files.writeString(config, config(dir, siteFile));
		Process process = new ProcessBuilder(BINARY.toString(), "-p", dir.toString(), "-c", config.toString(), "-e",
				dir.resolve("error.log").toString())
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("stdout.log").toFile())
			.start();
		NginxProcess nginx = new NginxProcess(process, port, dir);
		nginx.awaitListening();
		return nginx;
	}

	static String config(Path dir, Path site) {
		// As root, workers would switch to "nobody", who cannot read a private temp dir.
		String user = "root".equals(System.getProperty("user.name")) ? "user root;" : "";
		return CONFIG.replace("@USER@", user)
			.replace("@DIR@", dir.toString())
			.replace("@MIME_TYPES@", MIME_TYPES.toString())
			.replace("@SITE@", site.toString());
	}

	private void awaitListening() throws IOException {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("nginx exited with " + this.process.exitValue() + ": " + log());
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
				return;
			}
			catch (IOException notYet) {
				sleep(Duration.ofMillis(50));
			}
		}
		close();
		throw new IllegalStateException("nginx did not listen on " + this.port + " within " + START_TIMEOUT + ": " + log());
	}

	/**
	 * Replaces the site file and sends the master {@code SIGHUP} by its PID ({@code nginx -s reload}): nginx checks
	 * the new configuration, starts new workers with it and lets the old ones finish, or keeps the old one and logs
	 * why.
	 */
	public void reload(String site) throws IOException, InterruptedException {
		Files.writeString(this.dir.resolve("site.conf"), site);
		Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(this.process.pid())).start();
		if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
			throw new IllegalStateException("kill -HUP " + this.process.pid() + " failed");
		}
	}

	/** The port nginx listens on, on 127.0.0.1. */
	public int port() {
		return this.port;
	}

	/** nginx's error log and stdout, for failure messages. */
	public String log() throws IOException {
		StringBuilder out = new StringBuilder();
		for (String name : List.of("stdout.log", "error.log")) {
			Path file = this.dir.resolve(name);
			if (Files.exists(file)) {
				out.append(Files.readString(file));
			}
		}
		return out.toString();
	}

	/**
	 * Stops the master by its PID (SIGTERM, nginx's fast shutdown, which also stops its workers), then kills it
	 * and any worker left if it has not exited within {@link #STOP_TIMEOUT}.
	 */
	@Override
	public void close() {
		List<ProcessHandle> workers = this.process.descendants().toList();
		this.process.destroy();
		try {
			if (!this.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		workers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for nginx", ex);
		}
	}

}
