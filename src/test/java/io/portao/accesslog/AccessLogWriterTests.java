package io.portao.accesslog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import io.portao.config.InvalidConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class AccessLogWriterTests {

	private static final long ONE_HOUR = TimeUnit.HOURS.toNanos(1);

	@Test
	void writesALineSoonAtLowTrafficEvenWithALongFlushInterval() {
		RecordingOutput out = new RecordingOutput();
		try (AccessLogWriter writer = new AccessLogWriter(out, false, 4096, ONE_HOUR, 16)) {
			assertThat(writer.write(line("first line"))).isTrue();
			await().atMost(Duration.ofSeconds(5)).until(() -> out.text().equals("first line\n"));
			assertThat(writer.write(line("second line"))).isTrue();
			await().atMost(Duration.ofSeconds(5)).until(() -> out.text().equals("first line\nsecond line\n"));
		}
	}

	@Test
	void batchesQueuedLinesIntoFullBuffersInOrder() throws InterruptedException {
		RecordingOutput out = new RecordingOutput();
		out.blockFirstWrite();
		List<String> expected = new ArrayList<>();
		try (AccessLogWriter writer = new AccessLogWriter(out, false, 4096, ONE_HOUR, 8192)) {
			writer.write(line("line 0"));
			expected.add("line 0");
			out.awaitBlocked();
			for (int i = 1; i <= 1000; i++) {
				String line = "line " + i + " " + "x".repeat(90);
				assertThat(writer.write(line(line))).isTrue();
				expected.add(line);
			}
			out.release();
		}
		assertThat(out.text().split("\n")).containsExactlyElementsOf(expected);
		// ~97 KB in 4 KB buffers: one write for "line 0", then ~24 full buffers, not one write per line.
		assertThat(out.writes.get()).isLessThan(40);
	}

	@Test
	void dropsAndCountsLinesWhenTheOutputCannotKeepUpInsteadOfBlocking() throws InterruptedException {
		RecordingOutput out = new RecordingOutput();
		out.blockFirstWrite();
		try (AccessLogWriter writer = new AccessLogWriter(out, false, 4096, ONE_HOUR, 4)) {
			writer.write(line("taken by the writer"));
			out.awaitBlocked();
			int accepted = 0;
			for (int i = 0; i < 10; i++) {
				accepted += writer.write(line("queued " + i)) ? 1 : 0;
			}
			assertThat(accepted).isEqualTo(4);
			assertThat(writer.dropped()).isEqualTo(6);
			out.release();
		}
		assertThat(out.text().split("\n")).containsExactly("taken by the writer", "queued 0", "queued 1", "queued 2",
				"queued 3");
	}

	@Test
	void anOutputErrorLosesLinesButNeitherThrowsNorStopsTheWriter() {
		RecordingOutput out = new RecordingOutput();
		out.failing = true;
		try (AccessLogWriter writer = new AccessLogWriter(out, false, 4096, ONE_HOUR, 16)) {
			assertThat(writer.write(line("lost"))).isTrue();
			await().atMost(Duration.ofSeconds(5)).until(() -> out.attempts.get() > 0);
			out.failing = false;
			writer.write(line("written"));
			await().atMost(Duration.ofSeconds(5)).until(() -> out.text().equals("written\n"));
		}
	}

	@Test
	void closeWritesEverythingQueuedAndRefusesLaterLines() {
		RecordingOutput out = new RecordingOutput();
		AccessLogWriter writer = new AccessLogWriter(out, true, 4096, ONE_HOUR, 8192);
		for (int i = 0; i < 500; i++) {
			writer.write(line("line " + i));
		}
		writer.close();
		assertThat(out.text().split("\n")).hasSize(500).endsWith("line 499");
		assertThat(out.closed).isTrue();
		assertThat(writer.write(line("too late"))).isFalse();
	}

	@Test
	void aPathThatCannotBeOpenedFailsStartupNamingTheProperty(@TempDir Path dir) {
		String path = dir.resolve("missing-directory/access.log").toString();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AccessLogConfiguration.class))
			.withUserConfiguration(Properties.class)
			.withPropertyValues("portao.access-log.path=" + path)
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationException.class)
				.hasMessageContaining("portao.access-log.path")
				.hasMessageContaining(path));
	}

	@Test
	void aFilePathGetsTheLinesAppended(@TempDir Path dir) throws IOException {
		Path log = dir.resolve("access.log");
		java.nio.file.Files.writeString(log, "kept\n");
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AccessLogConfiguration.class))
			.withUserConfiguration(Properties.class)
			.withPropertyValues("portao.access-log.path=" + log)
			.run(context -> context.getBean(AccessLogWriter.class).write(line("appended")));
		assertThat(java.nio.file.Files.readAllLines(log)).containsExactly("kept", "appended");
	}

	@Test
	void badBufferAndFlushValuesAreRefusedWithTheExpectedRange() {
		assertThatThrownBy(() -> new AccessLogProperties(true, "", org.springframework.util.unit.DataSize.ofBytes(100),
				Duration.ofSeconds(1)))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("portao.access-log.buffer")
			.hasMessageContaining("between 4KB and 16MB");
		assertThatThrownBy(() -> new AccessLogProperties(true, "", org.springframework.util.unit.DataSize.ofKilobytes(64),
				Duration.ZERO))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("portao.access-log.flush");
	}

	private static AsciiLine line(String text) {
		return new AsciiLine(16).append(text);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(AccessLogProperties.class)
	static class Properties {

	}

	/** Records what is written; can block its first write (a stuck stdout) and fail (a full disk). */
	static final class RecordingOutput extends OutputStream {

		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		final AtomicInteger writes = new AtomicInteger();

		final AtomicInteger attempts = new AtomicInteger();

		volatile boolean failing;

		volatile boolean closed;

		private CountDownLatch blocked;

		private final CountDownLatch released = new CountDownLatch(1);

		void blockFirstWrite() {
			this.blocked = new CountDownLatch(1);
		}

		void awaitBlocked() throws InterruptedException {
			assertThat(this.blocked.await(5, TimeUnit.SECONDS)).isTrue();
		}

		void release() {
			this.released.countDown();
		}

		@Override
		public void write(int b) {
			throw new UnsupportedOperationException("the writer writes whole buffers");
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			this.attempts.incrementAndGet();
			if (this.failing) {
				throw new IOException("No space left on device");
			}
			if (this.blocked != null && this.blocked.getCount() > 0) {
				this.blocked.countDown();
				try {
					this.released.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			synchronized (this.bytes) {
				this.bytes.write(b, off, len);
			}
			this.writes.incrementAndGet();
		}

		@Override
		public void close() {
			this.closed = true;
		}

		String text() {
			synchronized (this.bytes) {
				return this.bytes.toString(StandardCharsets.US_ASCII);
			}
		}

	}

}
