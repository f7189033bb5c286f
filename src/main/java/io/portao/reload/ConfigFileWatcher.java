package io.portao.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Compares the configuration files' contents every {@code poll-interval} and calls back once they changed and then
 * stayed unchanged for {@code quiet-period}. Polling contents rather than a {@code WatchService}: Boot's own file
 * watcher (the one behind SSL bundles' {@code reload-on-update}) is not public API, and a Kubernetes ConfigMap
 * volume replaces files through a {@code ..data} symlink swap that directory events on the file's own directory miss;
 * a digest of a few small files a second costs nothing.
 */
final class ConfigFileWatcher implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ConfigFileWatcher.class);

	private final List<Path> files;

	private final Duration pollInterval;

	private final Duration quietPeriod;

	private final Runnable onChange;

	private final Thread thread;

	private volatile boolean running = true;

	ConfigFileWatcher(List<Path> files, Duration pollInterval, Duration quietPeriod, Runnable onChange) {
		this.files = List.copyOf(files);
		this.pollInterval = pollInterval;
		this.quietPeriod = quietPeriod;
		this.onChange = onChange;
		this.thread = new Thread(this::run, "portao-config-watcher");
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	private void run() {
		Map<Path, byte[]> seen = digests();
		Map<Path, byte[]> pending = null;
		long changedAt = 0;
		while (this.running) {
			try {
				Thread.sleep(this.pollInterval.toMillis());
			}
			catch (InterruptedException ex) {
				return;
			}
			Map<Path, byte[]> now = digests();
			if (pending != null && same(now, pending)) {
				if (System.nanoTime() - changedAt >= this.quietPeriod.toNanos()) {
					seen = pending;
					pending = null;
					fire();
				}
			}
			else if (!same(now, (pending != null) ? pending : seen)) {
				pending = now;
				changedAt = System.nanoTime();
				if (this.quietPeriod.isZero()) {
					seen = pending;
					pending = null;
					fire();
				}
			}
		}
	}

	private void fire() {
		try {
			this.onChange.run();
		}
		catch (RuntimeException ex) {
			logger.error("reload after a configuration file changed failed", ex);
		}
	}

	private Map<Path, byte[]> digests() {
		Map<Path, byte[]> digests = new HashMap<>();
		for (Path file : this.files) {
			try {
				digests.put(file, MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
			}
			catch (IOException ex) {
				digests.put(file, new byte[0]); // missing or unreadable: a change too, when it comes back
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return digests;
	}

	private static boolean same(Map<Path, byte[]> a, Map<Path, byte[]> b) {
		for (Map.Entry<Path, byte[]> entry : a.entrySet()) {
			if (!Arrays.equals(entry.getValue(), b.get(entry.getKey()))) {
				return false;
			}
		}
		return true;
	}

	@Override
	public void close() {
		this.running = false;
		this.thread.interrupt();
	}

}
