package io.portao.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A {@link FakeBackend} in a process of its own, so that a test can kill it with SIGKILL the way an app instance
 * dies in production: no graceful close, the kernel resets its connections.
 */
public final class FakeBackendProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private FakeBackendProcess(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/** Starts {@code name} on a free loopback port and waits (bounded) until it listens. */
	public static FakeBackendProcess start(String name) throws IOException {
		return start(name, 0);
	}

	/**
	 * Starts {@code name} on loopback {@code port} (0 for a free one), for an instance that comes back on the port
	 * it had, and waits (bounded) until it listens.
	 */
	public static FakeBackendProcess start(String name, int port) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), Main.class.getName(), name, String.valueOf(port))
			.redirectErrorStream(true)
			.start();
		BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		for (String line; System.nanoTime() < deadline && (line = out.readLine()) != null;) {
			if (line.startsWith("LISTENING ")) {
				drain(out);
				return new FakeBackendProcess(process, Integer.parseInt(line.substring("LISTENING ".length())));
			}
		}
		process.destroyForcibly();
		throw new IOException("backend process " + name + " did not start");
	}

	private static void drain(BufferedReader out) {
		Thread drainer = new Thread(() -> {
			try {
				while (out.readLine() != null) {
					// Keep the pipe from filling up.
				}
			}
			catch (IOException ex) {
				// The process is gone.
			}
		}, "backend-output");
		drainer.setDaemon(true);
		drainer.start();
	}

	public int port() {
		return this.port;
	}

	public String uri() {
		return "http://127.0.0.1:" + this.port;
	}

	public long pid() {
		return this.process.pid();
	}

	/** SIGKILL, then wait (bounded) for the process to be gone. */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(10, TimeUnit.SECONDS);
	}

	/**
	 * SIGSTOP: the process freezes, as one stuck in a long GC pause or swapped out. The kernel still completes
	 * connections into its listen backlog until that fills, and nothing is ever answered.
	 */
	public void freeze() throws IOException, InterruptedException {
		signal("STOP");
	}

	/** SIGCONT: a frozen process runs on. */
	public void resume() throws IOException, InterruptedException {
		signal("CONT");
	}

	private void signal(String name) throws IOException, InterruptedException {
		// ProcessHandle sends only SIGTERM and SIGKILL; kill(1) by PID for the others.
		Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(this.process.pid())).inheritIO().start();
		if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
			throw new IOException("kill -" + name + " " + this.process.pid() + " failed");
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			try {
				resume(); // a frozen process ignores nothing but SIGKILL, which it gets next anyway
			}
			catch (IOException ex) {
				// Gone already.
			}
		}
		kill();
	}

	/** The process's entry point: a FakeBackend until killed. */
	public static final class Main {

		public static void main(String[] args) throws InterruptedException {
			FakeBackend backend = FakeBackend.start(args[0], (args.length > 1) ? Integer.parseInt(args[1]) : 0);
			System.out.println("LISTENING " + backend.port());
			System.out.flush();
			Thread.currentThread().join();
		}

	}

}
