package io.portao.reload;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.mock.env.MockEnvironment;

import io.portao.config.InvalidConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which files a reload follows, the watcher's quiet period, and the reload properties' checks. */
class ConfigFilesTests {

	@TempDir
	Path dir;

	@Test
	void fileLocationsAndDirectoriesAreWatchedClasspathAndOtherSchemesNot() throws Exception {
		Path conf = Files.createDirectories(this.dir.resolve("conf"));
		MockEnvironment environment = new MockEnvironment()
			.withProperty("spring.config.location", "classpath:/,optional:file:" + conf + "/")
			.withProperty("spring.config.additional-location",
					"file:" + this.dir.resolve("portao.yml") + ", " + this.dir.resolve("extra.properties")
							+ ",configtree:/run/secrets/");
		assertThat(ConfigFiles.of(environment)).containsExactly(conf.resolve("application.yml"),
				conf.resolve("application.yaml"), conf.resolve("application.properties"),
				this.dir.resolve("portao.yml"), this.dir.resolve("extra.properties"));
		assertThat(ConfigFiles.of(new MockEnvironment())).isEmpty();
	}

	@Test
	void severalWritesWithinTheQuietPeriodAreOneReload() throws Exception {
		Path file = Files.writeString(this.dir.resolve("portao.yml"), "a: 1\n");
		AtomicInteger reloads = new AtomicInteger();
		CountDownLatch first = new CountDownLatch(1);
		try (ConfigFileWatcher watcher = new ConfigFileWatcher(List.of(file), Duration.ofMillis(50),
				Duration.ofMillis(400), () -> {
					reloads.incrementAndGet();
					first.countDown();
				})) {
			watcher.start();
			Thread.sleep(200);
			for (int i = 2; i < 6; i++) {
				Files.writeString(file, "a: " + i + "\n");
				Thread.sleep(60);
			}
			assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
			Thread.sleep(600);
			assertThat(reloads).as("one reload for four writes").hasValue(1);
			Files.writeString(file, "a: 5\n");
			Thread.sleep(600);
			assertThat(reloads).as("the same content again is no change").hasValue(1);
			Files.delete(file);
			Files.writeString(file, "a: 6\n");
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (reloads.get() < 2 && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			assertThat(reloads).as("replaced by a new file").hasValue(2);
		}
	}

	@Test
	void badReloadPropertiesNameTheProperty() {
		assertThatThrownBy(() -> new ReloadProperties(true, true, Duration.ZERO, Duration.ofSeconds(1),
				Duration.ofSeconds(90))).isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("portao.reload.poll-interval");
		assertThatThrownBy(() -> new ReloadProperties(true, true, Duration.ofSeconds(1), Duration.ofSeconds(-1),
				Duration.ofSeconds(90))).hasMessageContaining("portao.reload.quiet-period");
		assertThatThrownBy(() -> new ReloadProperties(true, true, Duration.ofSeconds(1), Duration.ofSeconds(1),
				Duration.ZERO)).hasMessageContaining("portao.reload.check-timeout");
	}

}
