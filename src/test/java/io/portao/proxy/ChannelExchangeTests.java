package io.portao.proxy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One upstream channel's exchange over Netty's own HTTP codec, the response fed as the reads that bring it: when
 * the headers are handed on, whether the body can go out whole with them, and when the channel may be reused.
 */
class ChannelExchangeTests {

	private final List<Boolean> ended = new ArrayList<>();

	private final ChannelExchange exchange = new ChannelExchange("127.0.0.1:8080",
			(channel, reusable) -> this.ended.add(reusable));

	private final EmbeddedChannel channel = new EmbeddedChannel(new HttpClientCodec(), this.exchange);

	private final AtomicReference<ChannelAnswer> answered = new AtomicReference<>();

	private final AtomicReference<Throwable> failed = new AtomicReference<>();

	/** What {@link ChannelAnswer#whole} gave when the answer was handed on, as the lane asks it then. */
	private final AtomicReference<ByteBuf> wholeWhenAnnounced = new AtomicReference<>();

	@AfterEach
	void close() {
		if (this.wholeWhenAnnounced.get() != null) {
			this.wholeWhenAnnounced.get().release();
		}
		this.channel.finishAndReleaseAll();
	}

	@Test
	void aResponseReadWholeInOneReadGoesOutWholeWithItsHeaders() {
		send("5");
		read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
		assertThat(this.answered.get()).as("announced once read").isNotNull();
		ByteBuf whole = this.wholeWhenAnnounced.get();
		assertThat(whole).as("the body, when the headers are handed on").isNotNull();
		assertThat(whole.toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
		assertThat(this.ended).as("the channel may serve another request").containsExactly(true);
		assertThat(this.channel.isOpen()).isTrue();
	}

	@Test
	void aBodyInLaterReadsIsRelayedAsAStream() {
		send("10");
		read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello");
		ChannelAnswer answer = this.answered.get();
		assertThat(answer).as("announced at the end of the read that brought the headers").isNotNull();
		assertThat(this.wholeWhenAnnounced.get()).isNull();
		List<String> parts = new ArrayList<>();
		answer.body().subscribe(bytes -> {
			parts.add(bytes.toString(StandardCharsets.US_ASCII));
			bytes.release();
		});
		read("world");
		assertThat(parts).containsExactly("hello", "world");
		assertThat(this.ended).containsExactly(true);
	}

	@Test
	void aBodyWithoutTheSentLengthIsRelayedAsAStream() {
		send("4");
		read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
		ChannelAnswer answer = this.answered.get();
		assertThat(answer.whole(new DefaultHttpHeaders())).as("no Content-Length").isNull();
		assertThat(this.wholeWhenAnnounced.get()).as("another length").isNull();
		assertThat(answer.whole(contentLength("five"))).as("not a number").isNull();
		List<String> parts = new ArrayList<>();
		answer.body().subscribe(bytes -> {
			parts.add(bytes.toString(StandardCharsets.US_ASCII));
			bytes.release();
		});
		assertThat(parts).containsExactly("hello");
	}

	@Test
	void aCloseRightAfterTheHeadersFailsTheBodyNotTheHeaders() {
		send("10");
		read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello");
		ChannelAnswer answer = this.answered.get();
		AtomicReference<Throwable> bodyFailed = new AtomicReference<>();
		answer.body().subscribe(ByteBuf::release, bodyFailed::set);
		this.channel.close();
		assertThat(this.failed.get()).isNull();
		assertThat(bodyFailed.get()).hasMessageContaining("closed during the response");
		assertThat(this.ended).containsExactly(false);
	}

	@Test
	void aCloseBeforeTheHeadersIsAClosedBeforeResponse() {
		send("10");
		this.channel.close();
		assertThat(this.answered.get()).isNull();
		assertThat(this.failed.get()).isInstanceOf(io.portao.upstream.ClosedBeforeResponseException.class);
	}

	@Test
	void bytesOnAnIdleChannelCloseIt() {
		send("2");
		read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
		assertThat(this.wholeWhenAnnounced.get()).isNotNull();
		assertThat(this.channel.isOpen()).isTrue();
		read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nno");
		assertThat(this.channel.isOpen()).as("a response nobody asked for").isFalse();
	}

	/** Sends a request; when the answer comes, asks for its body whole with {@code length} as the lane does. */
	private void send(String length) {
		Mono.<ChannelAnswer>create(sink -> this.exchange
			.send(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"), sink, null))
			.subscribe(answer -> {
				this.answered.set(answer);
				this.wholeWhenAnnounced.set(answer.whole(contentLength(length)));
			}, this.failed::set);
		this.channel.releaseOutbound();
	}

	private void read(String bytes) {
		this.channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
	}

	private static HttpHeaders contentLength(String value) {
		return new DefaultHttpHeaders().set(HttpHeaderNames.CONTENT_LENGTH, value);
	}

}
