package io.portao.staticfiles;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiConsumer;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * A file {@link PlainFileResponder} found for a plain request, with the response headers of its current version,
 * the same whichever path writes them (Spring's response or Reactor Netty's).
 *
 * @param headers the headers in the order Spring's resource handler sets them, as a Netty header map made once per
 * file version: added to a response's headers, Netty copies its entries with their hashes and without validating
 * the names again (the static lane sets six headers per request: 3.4 % of its CPU as {@code String}s set one by
 * one, in a JFR profile, docs/performance.md)
 * @param lastModifiedMillis the version's modification time (whether it is settled enough to be copied into
 * memory, {@link FileCopies})
 * @param slot where this version's open descriptor is kept ({@link OpenFiles})
 */
record PlainFile(Path path, long size, long lastModifiedMillis, HttpHeaders headers, OpenFiles.Slot slot) {

	/** @param headers names and values in turn */
	PlainFile(Path path, long size, long lastModifiedMillis, String[] headers) {
		this(path, size, lastModifiedMillis, wire(headers), new OpenFiles.Slot());
	}

	private static HttpHeaders wire(String[] headers) {
		// The factory Reactor Netty's responses use (validation on): the same hashing and validator is what lets
		// Netty copy the entries as they are.
		HttpHeaders wire = DefaultHttpHeadersFactory.headersFactory().newHeaders();
		for (int i = 0; i < headers.length; i += 2) {
			wire.add(AsciiString.cached(headers[i]), AsciiString.cached(headers[i + 1]));
		}
		return wire;
	}

	/** Sets each header through {@code header} (name, value), in order. */
	void forEachHeader(BiConsumer<String, String> header) {
		// AsciiString.cached keeps the String it was made from: no copy here.
		for (Iterator<Map.Entry<CharSequence, CharSequence>> it = this.headers.iteratorCharSequence(); it.hasNext();) {
			Map.Entry<CharSequence, CharSequence> each = it.next();
			header.accept(each.getKey().toString(), each.getValue().toString());
		}
	}

	/** Adds the headers to Netty's {@code target}, in order (a response's, which has none of them yet). */
	void addTo(HttpHeaders target) {
		target.add(this.headers);
	}

}
