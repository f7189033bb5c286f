package io.portao.limits;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link BodyReadDeadline} through {@link RequestLimitsHandler} on an {@link EmbeddedChannel} with its time frozen:
 * when a pause in a body times out, and that nothing is timed once the body ended or when there is none (the
 * sockets, HTTP/2 and the lingering are {@code RequestLimitsIntegrationTests}' and
 * {@code Http2LimitsIntegrationTests}').
 */
class BodyReadDeadlineTests {

	/** Lingering off: the close after a timeout is immediate. */
	private static final LingeringClose.Bounds NO_LINGERING = new LingeringClose.Bounds(0,
			Duration.ofSeconds(5).toNanos(), 0);

	private static EmbeddedChannel channel() {
		EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(),
				new RequestLimitsHandler(1000, 100, NO_LINGERING, Duration.ofSeconds(1).toNanos()));
		channel.freezeTime();
		return channel;
	}

	private static void write(EmbeddedChannel channel, String text) {
		channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
		for (Object msg; (msg = channel.readInbound()) != null;) {
			ReferenceCountUtil.release(msg);
		}
	}

	private static void advance(EmbeddedChannel channel, long millis) {
		channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
		channel.runScheduledPendingTasks();
	}

	@Test
	void aPauseInTheBodyLongerThanTheTimeoutEndsTheRequestWithReadTimeoutException() {
		EmbeddedChannel channel = channel();
		write(channel, "POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n\r\nabc");
		advance(channel, 600);
		write(channel, "def");
		advance(channel, 900);
		assertThat(channel.isOpen()).as("900 ms since the last read").isTrue();
		channel.checkException();
		advance(channel, 200);
		assertThat(channel.isOpen()).as("1100 ms since the last read").isFalse();
		assertThatThrownBy(channel::checkException).isSameAs(ReadTimeoutException.INSTANCE);
	}

	@Test
	void nothingIsTimedOnceTheBodyEndedNorForARequestWithoutOne() {
		EmbeddedChannel channel = channel();
		write(channel, "POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\n\r\nabc");
		advance(channel, 500);
		write(channel, "def");
		write(channel, "GET /next HTTP/1.1\r\nHost: h\r\n\r\n");
		advance(channel, 5000);
		assertThat(channel.isOpen()).isTrue();
		channel.checkException();
		assertThat(channel.finishAndReleaseAll()).isFalse();
	}

	@Test
	void theNextBodyIsTimedFromItsOwnReads() {
		EmbeddedChannel channel = channel();
		write(channel, "POST /one HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc");
		advance(channel, 800);
		// The timer armed by nothing so far; this body's pause starts at its head.
		write(channel, "POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\na");
		advance(channel, 900);
		assertThat(channel.isOpen()).isTrue();
		write(channel, "b");
		advance(channel, 900);
		assertThat(channel.isOpen()).isTrue();
		advance(channel, 200);
		assertThat(channel.isOpen()).isFalse();
	}

}
