package io.portao.staticfiles;

import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * A file {@link PlainFileResponder} found for a plain request, with the response headers of its current version,
 * the same whichever path writes them (Spring's response or Reactor Netty's).
 *
 * @param headers names and values in turn, in the order Spring's resource handler sets them
 */
record PlainFile(Path path, long size, String[] headers) {

	/** Sets each header through {@code header} (name, value), in order. */
	void forEachHeader(BiConsumer<String, String> header) {
		for (int i = 0; i < this.headers.length; i += 2) {
			header.accept(this.headers[i], this.headers[i + 1]);
		}
	}

}
