package io.portao.staticfiles;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.beans.factory.ObjectProvider;

import io.portao.lane.Lane;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LaneLookup}: a connection initialized while another one's lookup is still under way gets its lane
 * without waiting for it (an event loop must never park), and the lookup's answer, found or not, is kept.
 */
class LaneLookupTests {

	@Test
	void aSecondCallerDoesNotWaitForALookupUnderWay() throws Exception {
		CountDownLatch firstInside = new CountDownLatch(1);
		CountDownLatch releaseFirst = new CountDownLatch(1);
		AtomicInteger calls = new AtomicInteger();
		Wanted wanted = new Wanted();
		ObjectProvider<Lane> lanes = new ObjectProvider<>() {

			@Override
			public Stream<Lane> stream() {
				if (calls.incrementAndGet() == 1) {
					firstInside.countDown();
					await(releaseFirst);
				}
				return Stream.of(new Other(), wanted);
			}

		};
		LaneLookup<Wanted> lookup = new LaneLookup<>(lanes, Wanted.class);
		CompletableFuture<Wanted> first = CompletableFuture.supplyAsync(lookup::get);
		try {
			assertThat(firstInside.await(10, TimeUnit.SECONDS)).isTrue();
			// A locking supplier would hold this caller until the first lookup ends, which it does only below.
			CompletableFuture<Wanted> second = CompletableFuture.supplyAsync(lookup::get);
			assertThat(second.get(10, TimeUnit.SECONDS)).isSameAs(wanted);
		}
		finally {
			releaseFirst.countDown();
		}
		assertThat(first.get(10, TimeUnit.SECONDS)).isSameAs(wanted);
	}

	@Test
	void theAnswerIsKeptFoundOrNot() {
		AtomicInteger calls = new AtomicInteger();
		ObjectProvider<Lane> lanes = new ObjectProvider<>() {

			@Override
			public Stream<Lane> stream() {
				calls.incrementAndGet();
				return List.<Lane>of(new Other()).stream();
			}

		};
		LaneLookup<Wanted> lookup = new LaneLookup<>(lanes, Wanted.class);
		assertThat(lookup.get()).isNull();
		assertThat(lookup.get()).isNull();
		assertThat(calls).hasValue(1);
	}

	/** Longer than the second caller is given, so that a caller that waits for the first one times out. */
	private static void await(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static class Other implements Lane {

		@Override
		public boolean takes(HttpServerRequest request) {
			return false;
		}

		@Override
		public Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
			return Mono.empty();
		}

	}

	private static final class Wanted extends Other {

	}

}
