package io.portao.upstream;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.web.server.ResponseStatusException;

import io.portao.errors.GatewayTimeout;

/**
 * Lets the first timeout of a frozen instance shorten the wait of the requests already waiting on it. When a
 * timeout ejects the instance, every attempt {@linkplain #releasable armed} on it that is still waiting for its
 * response headers fails at once as a response timeout, and {@code failover.NextUpstreamFilter} sends it to the next
 * instance: it would have timed out there too, since the instance was judged broken, only later. nginx does not do
 * this (each request waits for its own {@code proxy_read_timeout}); it matters when requests reach the instance
 * spread over the timeout, e.g. under light traffic, where the last ones would otherwise wait almost twice as long.
 *
 * <p>Only attempts that a timeout would pass on anyway are armed (by {@link RequestAttempts#releasable()}: {@code timeout}
 * in {@code next-upstream}, a method that may be sent again, no request body), so nothing is released that would
 * not have been retried. Each ejection completes one sink and puts a fresh one in its place, so an attempt armed
 * after the ejection waits for the next.
 */
public final class TimeoutEjectionRelease {

	private final AtomicReference<Generation> current = new AtomicReference<>(new Generation());

	/** {@code attempt}, failing as a response timeout if a timeout ejects the instance before it completes. */
	@SuppressWarnings("unchecked")
	public <T> Mono<T> releasable(Mono<T> attempt) {
		// released never emits a value, only its error: typed as the attempt for the race.
		return Mono.firstWithSignal(attempt, (Mono<T>) (Mono<?>) this.current.get().released);
	}

	/** A timeout ejected the instance: releases every attempt armed so far. */
	void release() {
		this.current.getAndSet(new Generation()).sink.tryEmitEmpty();
	}

	/** The error a released attempt fails with: a response timeout, as far as retries and meters go. */
	static ResponseStatusException released() {
		return GatewayTimeout.of(new TimeoutException(
				"another request to the instance timed out and ejected it; released before this one's timeout"));
	}

	/** One sink and the error signal built on it once, so that arming an attempt assembles nothing but the race. */
	private static final class Generation {

		// Emitted once, by the one thread that swapped it out: the unsafe (unserialized) flavour is enough.
		final Sinks.Empty<Void> sink = Sinks.unsafe().empty();

		final Mono<Void> released = this.sink.asMono().then(Mono.error(TimeoutEjectionRelease::released));

	}

}
