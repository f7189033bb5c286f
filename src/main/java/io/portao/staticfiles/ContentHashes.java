package io.portao.staticfiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.core.io.Resource;

/**
 * The MD5 and SHA-512 of the static files that versioned requests name, each computed once per version of the
 * file: a bounded cache (Caffeine, least recently and frequently used files go first) keyed by the resolved file
 * and validated by its size and modification time, so a rewritten file is hashed again at its next request.
 * Computing reads the whole file, so it runs on {@code scheduler} (Reactor's bounded elastic one), never on an
 * event loop; requests for a file whose hash is being computed wait for that one computation.
 *
 * <p>Why not Spring's {@code VersionResourceResolver} with {@code ContentVersionStrategy}: it reads and hashes
 * the whole file on every request it resolves, on the calling thread (an event loop here), and expects the
 * version in the path, answering 404 when it does not match, where an old page must still get its file.
 */
final class ContentHashes {

	/** Hashes of this many files at most (about 250 bytes each). */
	static final int DEFAULT_LIMIT = 4096;

	/** Reactor's "never expires" for {@code Mono.cache} (no clean-up task is scheduled for it). */
	private static final Duration FOREVER = Duration.ofMillis(Long.MAX_VALUE);

	private static final int BUFFER_SIZE = 64 * 1024;

	private final Cache<Object, Entry> cache;

	private final ConcurrentMap<Object, Entry> entries;

	private final Scheduler scheduler;

	ContentHashes(Scheduler scheduler, int limit) {
		this.scheduler = scheduler;
		// Maintenance (eviction included) on the calling thread, not Caffeine's default common pool: the bound holds
		// as soon as a hash is stored. Writes come once per file version; reads drain a small buffer now and then.
		this.cache = Caffeine.newBuilder().maximumSize(limit).executor(Runnable::run).build();
		this.entries = this.cache.asMap();
	}

	/** The digests of {@code resource} as it is on disk now; an error if it cannot be read. */
	Mono<Digests> of(Resource resource) {
		Object key;
		Stamp stamp;
		try {
			key = key(resource);
			stamp = stamp(resource);
		}
		catch (IOException ex) {
			return Mono.error(ex);
		}
		Entry entry = this.entries.get(key);
		if (entry != null && entry.stamp.equals(stamp)) {
			return entry.digests;
		}
		return this.entries.compute(key, (k, old) -> (old != null && old.stamp.equals(stamp)) ? old
				: new Entry(stamp, compute(resource))).digests;
	}

	private Mono<Digests> compute(Resource resource) {
		return Mono.fromCallable(() -> digest(resource))
			.subscribeOn(this.scheduler)
			// A file that could not be read is tried again at its next request rather than remembered as failed. A
			// subscriber that cancels (its client went away) does not cancel the computation the others wait for.
			.cache(digests -> FOREVER, error -> Duration.ZERO, () -> Duration.ZERO);
	}

	private Digests digest(Resource resource) throws IOException {
		MessageDigest md5 = algorithm("MD5");
		MessageDigest sha512 = algorithm("SHA-512");
		byte[] buffer = new byte[BUFFER_SIZE];
		try (InputStream in = resource.getInputStream()) {
			for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
				md5.update(buffer, 0, read);
				sha512.update(buffer, 0, read);
			}
		}
		HexFormat hex = HexFormat.of();
		return new Digests(hex.formatHex(md5.digest()), hex.formatHex(sha512.digest()));
	}

	private static MessageDigest algorithm(String name) {
		try {
			return MessageDigest.getInstance(name);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(name + " is built into every JDK", ex);
		}
	}

	/** The file itself for file-system resources (the same file reached twice is hashed once). */
	private static Object key(Resource resource) throws IOException {
		return resource.isFile() ? resource.getFile().toPath() : resource;
	}

	/**
	 * One {@code stat} through NIO for files, as {@link PlainFileResponder} does per request; a resource inside a
	 * jar answers from the jar's directory, which Spring's handler reads per request as well.
	 */
	private static Stamp stamp(Resource resource) throws IOException {
		if (!resource.isFile()) {
			return new Stamp(resource.contentLength(), TimeUnit.MILLISECONDS.toNanos(resource.lastModified()));
		}
		Path file = resource.getFile().toPath();
		BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
		return new Stamp(attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
	}

	/** A file's content digests in lower-case hex. */
	record Digests(String md5, String sha512) {

		/**
		 * Whether {@code version} names this content: a prefix of at least {@code minPrefix} characters of the
		 * MD5 (Tornado before 3.1 sends 5, other helpers 8 to 32), or the whole SHA-512 (Tornado 3.1 and later).
		 * Case is ignored, as hex is case-insensitive.
		 */
		boolean names(String version, int minPrefix) {
			int length = version.length();
			if (length == this.sha512.length()) {
				return this.sha512.equalsIgnoreCase(version);
			}
			return length >= minPrefix && length <= this.md5.length()
					&& this.md5.regionMatches(true, 0, version, 0, length);
		}

	}

	private record Stamp(long size, long modifiedNanos) {
	}

	private record Entry(Stamp stamp, Mono<Digests> digests) {
	}

}
