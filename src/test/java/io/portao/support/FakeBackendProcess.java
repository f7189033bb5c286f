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
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
				Main.class.getName(), name)
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

	@Override
	public void close() throws InterruptedException {
		kill();
	}

	/** The process's entry point: a FakeBackend until killed. */
	public static final class Main {

		public static void main(String[] args) throws InterruptedException {
			FakeBackend backend = FakeBackend.start(args[0]);
			System.out.println("LISTENING " + backend.port());
			System.out.flush();
			Thread.currentThread().join();
		}

	}

}
