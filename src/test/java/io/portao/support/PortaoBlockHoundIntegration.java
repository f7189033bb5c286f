package io.portao.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Allowances for blocking calls on event-loop threads that are known to be safe, so that BlockHound (installed in
 * every test JVM by {@link BlockHoundExtension}) reports only real ones. Reactor, Netty and Spring register
 * their own integrations through the same service file; each allowance here names the framework call and why it
 * cannot stall an event loop.
 */
public class PortaoBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder
			// Logback's appenders take a ReentrantLock and write to the console; a test JVM logs warnings from event
			// loops (upstream failures, aborted responses). Production logging is the same call, bounded by the
			// console's speed; it is not a wait on another request.
			.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes")
			.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend")
			// Spring's ResourceWebHandler checks that a static file exists and is readable (File.exists,
			// Files.isReadable) before answering; a stat of a local file, the same system call nginx makes per request.
			.allowBlockingCallsInside("org.springframework.core.io.FileSystemResource", "exists")
			.allowBlockingCallsInside("org.springframework.core.io.FileSystemResource", "isReadable")
			.allowBlockingCallsInside("org.springframework.core.io.AbstractFileResolvingResource", "exists")
			.allowBlockingCallsInside("org.springframework.core.io.AbstractFileResolvingResource", "isReadable")
			// SecureRandom seeding on the first TLS handshake or UUID (reads /dev/urandom once; JDK's own lock).
			.allowBlockingCallsInside("java.security.SecureRandom", "nextBytes")
			// Netty 4.2's adaptive allocator takes a magazine's StampedLock write lock when it grows or frees a
			// magazine: held for a few instructions by another event loop, never across I/O (seen as a 500 from a
			// test backend when two event loops allocated at once).
			.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines")
			.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free")
			// Micrometer's percentile histograms (HdrHistogram) Thread.yield while a reader flips the recording
			// phase: a spin of a few iterations against the scrape or the endpoint's snapshot, not a wait on I/O.
			.allowBlockingCallsInside("org.HdrHistogram.WriterReaderPhaser", "flipPhase")
			// reactor-test's VirtualTimeScheduler, which the tests give the health checks in place of Reactor's parallel
			// scheduler, keeps its tasks in a PriorityBlockingQueue: scheduling or cancelling a probe's timer from an
			// event loop takes its lock, which the test thread advancing the clock holds for a moment. Test-only: the
			// schedulers of a running gateway (Reactor's parallel workers) do not lock.
			.allowBlockingCallsInside("reactor.test.scheduler.VirtualTimeScheduler$TimedRunnable", "dispose")
			.allowBlockingCallsInside("reactor.test.scheduler.VirtualTimeScheduler$VirtualTimeWorker", "schedule")
			.allowBlockingCallsInside("reactor.test.scheduler.VirtualTimeScheduler$VirtualTimeWorker",
					"schedulePeriodically")
			.allowBlockingCallsInside("reactor.test.scheduler.VirtualTimeScheduler$VirtualTimeWorker", "dispose")
			.allowBlockingCallsInside("reactor.test.scheduler.VirtualTimeScheduler", "schedule")
			.allowBlockingCallsInside("reactor.test.scheduler.VirtualTimeScheduler", "schedulePeriodically");
		// Vert.x threads (the Kubernetes client's informers, the tests' Kubernetes mock server) are let through by
		// BlockHoundExtension's callback, not by a thread predicate here: Netty's integration marks every
		// FastThreadLocalThread non-blocking, and its order among the integrations is not defined (its compareTo
		// answers 0 to all), so a predicate here was undone.
	}

}
