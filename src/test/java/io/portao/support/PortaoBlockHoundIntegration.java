package io.portao.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Allowances for blocking calls on event-loop threads that are known to be safe, so that BlockHound (installed in
 * every test JVM by {@code blockhound-junit-platform}) reports only real ones. Reactor, Netty and Spring register
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
			// Vert.x threads belong to the Kubernetes client (discovery informers) and to the Kubernetes mock
			// server of the tests, never to the request path; Vert.x has its own blocked-thread checker.
			.nonBlockingThreadPredicate(current -> current.and(thread -> !thread.getName().startsWith("vert.x-")));
	}

}
