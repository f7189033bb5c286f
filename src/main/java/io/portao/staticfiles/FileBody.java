package io.portao.staticfiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A static file as a response body: a Netty {@link DefaultFileRegion} (the kernel's {@code sendfile}, nginx's
 * {@code sendfile on}) where the connection can take one, else the file read in chunks into buffers
 * ({@link ChunkedNioFile}): over TLS, in an HTTP/2 stream, or when the response is compressed. The headers go
 * first (Reactor Netty sends them before the body it is given); the file is opened before the headers are set
 * (that is the readability check; {@link OpenFiles} may hand out a descriptor opened for an earlier request) and
 * released once it is sent.
 *
 * <p>Why not Reactor Netty's {@code sendFile(Path)}: it makes the same choice, but tests whether the path is on
 * the default file system with {@code Path.toUri()} on every call where the transport is not NIO (epoll here),
 * 6 % of a static request's CPU in a JFR profile (docs/performance.md). A static root is always a directory of the
 * default file system ({@code StaticResourceWebHandler.fileRoots}).
 */
final class FileBody {

	/**
	 * Netty's default chunk ({@link ChunkedNioFile}); Reactor Netty's {@code sendFile} reads 1 KiB at a time, which
	 * over TLS makes eight records where one fits. The bytes sent are the same.
	 */
	static final int CHUNK_SIZE = 8192;

	private FileBody() {
	}

	/**
	 * The file opened for reading, or {@code null} when it cannot be (not readable, gone meanwhile): opening is how
	 * the lane learns whether it may send the file, as nginx does, where an {@code access} call first would cost
	 * one more system call per request and still race with the open.
	 */
	@Nullable
	static FileChannel open(Path file) {
		try {
			return FileChannel.open(file, StandardOpenOption.READ);
		}
		catch (IOException | SecurityException ex) {
			return null;
		}
	}

	/**
	 * Sends {@code size} bytes of {@code file} and releases it once they are sent (or the send failed): when Netty
	 * releases the region or the chunked file, whichever carried them.
	 */
	static Mono<Void> send(HttpServerResponse response, OpenFiles.Handle file, PlainFile version) {
		long size = version.size();
		if (size == 0) {
			// Reactor Netty sends a headers-only message for Content-Length: 0; a region after it fails in the encoder.
			file.release();
			return response.send();
		}
		// The region or the chunked file takes the handle over; until one does (the headers may fail first, or
		// the send be cancelled), releasing it is this send's.
		boolean[] handedOver = new boolean[1];
		return response.sendUsing(() -> file, (connection, handle) -> {
			Object body = body(connection, handle, version);
			handedOver[0] = true;
			return body;
		}, handle -> {
		}).then().doFinally(signal -> {
			if (!handedOver[0]) {
				file.release();
			}
		});
	}

	/** Chosen once the headers are on their way: that is when Reactor Netty adds a compression handler. */
	private static Object body(Connection connection, OpenFiles.Handle file, PlainFile version) {
		Channel channel = connection.channel();
		long size = version.size();
		// From memory where the connection encodes HTTP/1.1 bodies as they are (cleartext or TLS, not compressed):
		// one buffer, where TLS would otherwise read the file in chunks.
		if (!(channel instanceof Http2StreamChannel)
				&& channel.pipeline().get(NettyPipeline.CompressionHandler) == null) {
			ByteBuf copy = copy(file, version);
			if (copy != null) {
				return copy;
			}
		}
		if (!needsBuffers(channel)) {
			return new Region(file, size);
		}
		if (channel.pipeline().get(ChunkedWriteHandler.class) == null) {
			connection.addHandlerLast(NettyPipeline.ChunkedWriter, new ChunkedWriteHandler());
		}
		try {
			return new Chunks(file, size);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The kernel's {@code sendfile} of {@code size} bytes, releasing {@code file} once sent (or dropped). */
	static DefaultFileRegion region(OpenFiles.Handle file, long size) {
		return new Region(file, size);
	}

	/**
	 * The body of {@code file} from memory ({@link FileCopies}: with the headers in one {@code writev}), releasing
	 * {@code opened}, or {@code null} when it is to be sent from {@code opened} (which stays the caller's).
	 */
	@Nullable
	static ByteBuf copy(OpenFiles.Handle opened, PlainFile file) {
		ByteBuf copy = (file.size() > 0) ? opened.copy(file) : null;
		if (copy != null) {
			opened.release();
		}
		return copy;
	}

	/** As Reactor Netty's {@code ReactorNetty.mustChunkFileTransfer}, for a file on the default file system. */
	static boolean needsBuffers(Channel channel) {
		if (channel instanceof Http2StreamChannel) {
			return true;
		}
		ChannelPipeline pipeline = channel.pipeline();
		return pipeline.get(SslHandler.class) != null || pipeline.get(NettyPipeline.CompressionHandler) != null;
	}

	/** The kernel's {@code sendfile} from the handle's descriptor, which it releases instead of closing. */
	private static final class Region extends DefaultFileRegion {

		private final OpenFiles.Handle file;

		Region(OpenFiles.Handle file, long size) {
			super(file.channel(), 0, size);
			this.file = file;
		}

		@Override
		protected void deallocate() {
			this.file.release();
		}

	}

	/** The file read in chunks from the handle's descriptor (positional reads), released instead of closed. */
	private static final class Chunks extends ChunkedNioFile {

		private final OpenFiles.Handle file;

		Chunks(OpenFiles.Handle file, long size) throws IOException {
			super(file.channel(), 0, size, CHUNK_SIZE);
			this.file = file;
		}

		@Override
		public void close() {
			this.file.release();
		}

	}

}
