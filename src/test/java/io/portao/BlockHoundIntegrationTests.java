package io.portao;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.portao.support.BlockHoundExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * BlockHound is installed in every test JVM ({@link BlockHoundExtension}), so an integration test whose gateway
 * blocks an event loop fails. This pins that it is installed and that it does catch a blocking call, on a Netty
 * event loop of the kind Reactor Netty serves requests on and on a Reactor non-blocking scheduler.
 */
class BlockHoundIntegrationTests {

	private static LoopResources loops;

	@BeforeAll
	static void startLoops() {
		assertThat(BlockHoundExtension.isInstalled()).as("BlockHound installed (needs -XX:+AllowRedefinitionToAddDeleteMethods)")
			.isTrue();
		loops = LoopResources.create("blockhound-test", 1, true);
	}

	@AfterAll
	static void stopLoops() {
		loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
	}

	@Test
	void sleepingOnANettyEventLoopIsABlockingOperationError() throws Exception {
		EventLoop loop = loops.onServer(true).next();
		CompletableFuture<Throwable> thrown = new CompletableFuture<>();
		loop.execute(() -> {
			try {
				Thread.sleep(1);
				thrown.complete(null);
			}
			catch (Throwable ex) {
				thrown.complete(ex);
			}
		});
		assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(BlockingOperationError.class)
			.hasMessageContaining("java.lang.Thread.sleep");
		assertReportedOnce("java.lang.Thread.sleep");
	}

	@Test
	void blockingOnAReactorParallelThreadIsABlockingOperationError() {
		Mono<Integer> blocking = Mono.fromCallable(() -> {
			Thread.sleep(1);
			return 1;
		}).subscribeOn(Schedulers.parallel());
		assertThatThrownBy(() -> blocking.block(Duration.ofSeconds(10)))
			.satisfies(ex -> assertThat(blockingError(ex)).isNotNull());
		assertReportedOnce("java.lang.Thread.sleep");
	}

	/**
	 * A blocking call that Netty would catch and log is recorded too, and the extension fails the class after
	 * which one is left: these tests made theirs on purpose, so they take it.
	 */
	private static void assertReportedOnce(String method) {
		assertThat(BlockHoundExtension.takeReports()).singleElement()
			.satisfies(report -> assertThat(report).hasMessageContaining(method));
	}

	private static BlockingOperationError blockingError(Throwable thrown) {
		for (Throwable ex = thrown; ex != null; ex = ex.getCause()) {
			if (ex instanceof BlockingOperationError error) {
				return error;
			}
		}
		return null;
	}

	/**
	 * The static lane's file calls on the event loop (one {@code stat}, {@code access}, the {@code realpath}s of the
	 * confinement check, the {@code open} of the file it sends) are not calls BlockHound reports: it instruments
	 * waits (sleep, park, socket and stream I/O), not the file system's metadata calls, which nginx makes on its
	 * event loop too. Pinned so that a BlockHound upgrade that starts reporting them is noticed here first; the
	 * lane's own integration tests run under BlockHound as well.
	 */
	@Test
	void theStaticLanesFileCallsAreNotReported(@TempDir Path root) throws Exception {
		Path file = Files.writeString(root.resolve("app.css"), "body { }\n");
		EventLoop loop = loops.onServer(true).next();
		CompletableFuture<Throwable> thrown = new CompletableFuture<>();
		loop.execute(() -> {
			try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
				Files.readAttributes(file, BasicFileAttributes.class);
				Files.isReadable(file);
				file.toRealPath().startsWith(root.toRealPath());
				thrown.complete(null);
			}
			catch (Throwable ex) {
				thrown.complete(ex);
			}
		});
		assertThat(thrown.get(10, TimeUnit.SECONDS)).isNull();
	}

	@Test
	void theSameCallOffTheEventLoopIsAllowed() throws Exception {
		Thread.sleep(1);
	}

}
