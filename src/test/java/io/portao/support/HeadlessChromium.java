package io.portao.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code chromium} run headless as a child process, bounded by a timeout and destroyed by its PID (its
 * own children included). Installed by {@code .ci/install-chromium.sh}; tests are skipped without it unless
 * {@code -Dportao.require-chromium=true} (CI sets it).
 */
public final class HeadlessChromium {

	/** Set to {@code true} (CI does) to fail instead of skipping when chromium is not installed. */
	public static final String REQUIRE_PROPERTY = "portao.require-chromium";

	private static final List<Path> CANDIDATES = List.of(Path.of("/usr/bin/chromium"),
			Path.of("/usr/bin/chromium-browser"));

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private final Path binary;

	private final Path work;

	private HeadlessChromium(Path binary, Path work) {
		this.binary = binary;
		this.work = work;
	}

	/** The installed browser, working in {@code work}; skips (or fails, when required) when it is missing. */
	public static HeadlessChromium require(Path work) {
		Optional<Path> binary = CANDIDATES.stream().filter(Files::isExecutable).findFirst();
		if (binary.isEmpty() && Boolean.getBoolean(REQUIRE_PROPERTY)) {
			throw new IllegalStateException("chromium is not installed and " + REQUIRE_PROPERTY
					+ "=true: run .ci/install-chromium.sh");
		}
		Assumptions.assumeTrue(binary.isPresent(),
				"chromium not installed (.ci/install-chromium.sh installs it): status page test skipped");
		return new HeadlessChromium(binary.get(), work);
	}

	/** The DOM after the page's scripts ran for {@code virtualTime} of virtual time. */
	public String dumpDom(String url, Duration virtualTime) throws IOException, InterruptedException {
		Path out = this.work.resolve("dom.html");
		run(List.of("--virtual-time-budget=" + virtualTime.toMillis(), "--dump-dom", url), out);
		return Files.readString(out, StandardCharsets.UTF_8);
	}

	/** A PNG of the page at 1200x600 after {@code virtualTime} of virtual time. */
	public void screenshot(String url, Duration virtualTime, Path png) throws IOException, InterruptedException {
		Files.createDirectories(png.toAbsolutePath().getParent());
		run(List.of("--virtual-time-budget=" + virtualTime.toMillis(), "--screenshot=" + png.toAbsolutePath(),
				"--window-size=1200,600", "--hide-scrollbars", url), this.work.resolve("screenshot.out"));
	}

	/**
	 * The page at {@code url} in a browser that stays open, driven over the DevTools protocol on a loopback port
	 * (clicks, reads of the live DOM); closing it stops the browser.
	 */
	public ChromiumPage open(String url) throws IOException, InterruptedException {
		Path profile = this.work.resolve("devtools-profile");
		List<String> command = command(profile, List.of("--remote-debugging-address=127.0.0.1",
				"--remote-debugging-port=0", "--remote-allow-origins=*", "--window-size=1200,600", url));
		Process process = new ProcessBuilder(command).redirectOutput(this.work.resolve("devtools.out").toFile())
			.redirectError(this.work.resolve("devtools.err").toFile())
			.start();
		try {
			return ChromiumPage.attach(profile, url, () -> destroy(process));
		}
		catch (IOException | RuntimeException | InterruptedException ex) {
			destroy(process);
			throw new IllegalStateException("chromium's DevTools did not open " + url + ": "
					+ tail(this.work.resolve("devtools.err")), ex);
		}
	}

	private List<String> command(Path profile, List<String> arguments) {
		List<String> command = new ArrayList<>(List.of(this.binary.toString(), "--headless", "--no-sandbox",
				"--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
				"--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
				"--user-data-dir=" + profile));
		command.addAll(arguments);
		return command;
	}

	private void run(List<String> arguments, Path stdout) throws IOException, InterruptedException {
		List<String> command = command(this.work.resolve("profile"), arguments);
		Path stderr = this.work.resolve("chromium.err");
		Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
			.redirectError(stderr.toFile())
			.start();
		try {
			if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				throw new IllegalStateException("chromium did not finish within " + TIMEOUT + ": " + tail(stderr));
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("chromium exited with " + process.exitValue() + ": " + tail(stderr));
			}
		}
		finally {
			destroy(process);
		}
	}

	private static void destroy(Process process) {
		try (Stream<ProcessHandle> children = process.descendants()) {
			children.forEach(ProcessHandle::destroyForcibly);
		}
		process.destroyForcibly();
		try {
			process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static String tail(Path file) throws IOException {
		String text = Files.exists(file) ? Files.readString(file) : "";
		return text.substring(Math.max(0, text.length() - 2000));
	}

}
