package io.portao.limits;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a close lingers and when it does not, and the byte bound, on an {@link EmbeddedChannel} (no socket to
 * half-close; the times and the half-close are {@code LingeringCloseIntegrationTests}').
 */
class LingeringCloseTests {

	private static final LingeringClose.Bounds BOUNDS = new LingeringClose.Bounds(Duration.ofSeconds(30).toNanos(),
			Duration.ofSeconds(5).toNanos(), 1000);

	private static EmbeddedChannel channel(LingeringClose.Bounds bounds) {
		return new EmbeddedChannel(new HttpServerCodec(), new RequestLimitsHandler(10, 100, bounds, Duration.ofSeconds(60).toNanos()));
	}

	private static ByteBuf ascii(String text) {
		return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
	}

	private static String written(EmbeddedChannel channel) {
		StringBuilder out = new StringBuilder();
		for (Object msg; (msg = channel.readOutbound()) != null;) {
			ByteBuf bytes = (ByteBuf) msg;
			out.append(bytes.toString(StandardCharsets.US_ASCII));
			bytes.release();
		}
		return out.toString();
	}

	@Test
	void refusedBodyLingersUntilTheByteBound() {
		EmbeddedChannel channel = channel(BOUNDS);
		channel.writeInbound(ascii("POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n"));

		assertThat(written(channel)).startsWith("HTTP/1.1 413 Request Entity Too Large\r\n")
			.endsWith("\r\n\r\n413 Request Entity Too Large\n");
		assertThat(channel.pipeline().get(LingeringClose.NAME)).isNotNull();
		channel.writeInbound(ascii("x".repeat(600)));
		assertThat(channel.isOpen()).as("600 of 1000 bytes read and dropped").isTrue();
		assertThat((Object) channel.readInbound()).isNull();
		channel.writeInbound(ascii("x".repeat(600)));
		assertThat(channel.isOpen()).as("past 1000 bytes").isFalse();
	}

	@Test
	void closeWhileABodyIsArrivingLingers() {
		EmbeddedChannel channel = channel(BOUNDS);
		channel.writeInbound(ascii("POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nab"));
		channel.inboundMessages().forEach(ReferenceCountUtil::release);
		channel.inboundMessages().clear();

		channel.close();

		assertThat(channel.isOpen()).isTrue();
		assertThat(channel.pipeline().get(LingeringClose.NAME)).isNotNull();
		channel.writeInbound(ascii("cde"));
		assertThat((Object) channel.readInbound()).as("dropped, never decoded").isNull();
	}

	@Test
	void closeAfterAWholeRequestIsAtOnce() {
		EmbeddedChannel channel = channel(BOUNDS);
		channel.writeInbound(ascii("POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nab"));
		channel.inboundMessages().forEach(ReferenceCountUtil::release);
		channel.inboundMessages().clear();

		channel.close();

		assertThat(channel.isOpen()).isFalse();
	}

	@Test
	void lingeringTimeZeroClosesAtOnce() {
		EmbeddedChannel channel = channel(new LingeringClose.Bounds(0, Duration.ofSeconds(5).toNanos(), 0));
		channel.writeInbound(ascii("POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n"));

		assertThat(written(channel)).startsWith("HTTP/1.1 413 ");
		assertThat(channel.isOpen()).isFalse();
	}

}
