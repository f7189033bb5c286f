package io.portao.staticfiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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
 * (that is the readability check) and closed once it is sent.
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

	/** Sends {@code size} bytes of {@code file}, {@link #open opened} for it, and closes it once they are sent. */
	static Mono<Void> send(HttpServerResponse response, FileChannel file, long size) {
		if (size == 0) {
			// Reactor Netty sends a headers-only message for Content-Length: 0; a region after it fails in the encoder.
			close(file);
			return response.send();
		}
		return response.sendUsing(() -> file, (connection, channel) -> body(connection, channel, size),
				FileBody::close)
			.then();
	}

	/** Chosen once the headers are on their way: that is when Reactor Netty adds a compression handler. */
	private static Object body(Connection connection, FileChannel file, long size) {
		Channel channel = connection.channel();
		if (!needsBuffers(channel)) {
			return new DefaultFileRegion(file, 0, size);
		}
		if (channel.pipeline().get(ChunkedWriteHandler.class) == null) {
			connection.addHandlerLast(NettyPipeline.ChunkedWriter, new ChunkedWriteHandler());
		}
		try {
			return new ChunkedNioFile(file, 0, size, CHUNK_SIZE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** As Reactor Netty's {@code ReactorNetty.mustChunkFileTransfer}, for a file on the default file system. */
	static boolean needsBuffers(Channel channel) {
		if (channel instanceof Http2StreamChannel) {
			return true;
		}
		ChannelPipeline pipeline = channel.pipeline();
		return pipeline.get(SslHandler.class) != null || pipeline.get(NettyPipeline.CompressionHandler) != null;
	}

	private static void close(FileChannel file) {
		try {
			file.close();
		}
		catch (IOException ex) {
			// Nothing to do: the response is sent (or failed) already, and the descriptor is released anyway.
		}
	}

}
