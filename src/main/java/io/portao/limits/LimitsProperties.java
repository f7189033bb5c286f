package io.portao.limits;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import io.portao.config.PropertyRules;

/**
 * Client-side limits Reactor Netty and Boot do not set (or do not expose): every one finite by default, each
 * named after its nginx equivalent. Header size ({@code server.max-http-request-header-size}), request line
 * ({@code server.netty.max-initial-line-length}) and keep-alive ({@code server.netty.idle-timeout}) are Boot's
 * own properties. The full table is in {@code docs/hardening.md}.
 *
 * @param headerTimeout How long a client may take to send a whole request head once its first byte arrived
 * (nginx {@code client_header_timeout}, 60s): then {@code 408} and the connection is closed. Reactor Netty has
 * no such deadline, so a client trickling header bytes (slowloris) would otherwise be held for up to
 * {@code idle-timeout} per byte.
 * @param bodyReadTimeout Longest pause between two reads of a request body (nginx {@code client_body_timeout},
 * 60s): then {@code 408} or the connection is closed; on HTTP/2 that stream ends and the connection goes on.
 * @param maxBodySize Largest request body (nginx {@code client_max_body_size}, 1m): a larger
 * {@code Content-Length} gets {@code 413} at once, a chunked body is cut with {@code 413} (or the connection
 * closed, once a response started) as soon as it passes the limit. {@code 0} turns the check off.
 * @param maxHeaderCount Most request header fields (Envoy {@code max_headers_count}, 100; nginx bounds them only
 * by buffer size): more get {@code 431}.
 * @param maxConnectionsPerInstance Most requests in flight to one upstream instance (nginx {@code server ...
 * max_conns}, 0 = unlimited): beyond it the request gets {@code 503} at once instead of queueing.
 * @param http2MaxConcurrentStreams Most concurrent streams per HTTP/2 connection (nginx
 * {@code http2_max_concurrent_streams}, 128).
 * @param http2MaxResetFrames Most {@code RST_STREAM} frames a client may send per {@code http2ResetWindow}
 * before the connection is closed with {@code GOAWAY} (HTTP/2 Rapid Reset, CVE-2023-44487).
 * @param http2ResetWindow The window {@code http2MaxResetFrames} is counted over, in whole seconds (Netty counts
 * in seconds; a sub-second window would truncate to 0, which turns the bound off, so it is refused).
 * @param lingeringTime When the gateway ends an HTTP/1.1 connection whose request body it did not read whole
 * (after a {@code 413}, {@code 431} or {@code 400}, the answer when the body read timeout fires, or a body
 * passing the cap after an early {@code 502}/{@code 503}), it half-closes it after the answer and reads and
 * throws away what the client still sends for at most this long before closing (nginx {@code lingering_close on}
 * and {@code lingering_time}, 30s): a client that writes its whole body before reading (Python's
 * {@code http.client}, {@code requests}) then reads the answer instead of failing with
 * {@code Connection reset by peer}. {@code 0} closes at once (nginx {@code lingering_close off}).
 * @param lingeringTimeout Longest wait for more bytes from a lingering client (nginx {@code lingering_timeout},
 * 5s): silence this long closes the connection.
 * @param lingeringMaxSize Most bytes read and thrown away from one lingering client, then the connection is
 * closed (nginx bounds lingering by time only; a client on a fast link could otherwise make the gateway read
 * gigabytes within {@code lingering-time}). {@code 0} turns this bound off.
 */
@ConfigurationProperties(LimitsProperties.PREFIX)
public record LimitsProperties(@DefaultValue("60s") Duration headerTimeout, @DefaultValue("60s") Duration bodyReadTimeout,
		@DefaultValue("1MB") DataSize maxBodySize, @DefaultValue("100") int maxHeaderCount,
		@DefaultValue("0") int maxConnectionsPerInstance, @DefaultValue("128") int http2MaxConcurrentStreams,
		@DefaultValue("200") int http2MaxResetFrames, @DefaultValue("30s") Duration http2ResetWindow,
		@DefaultValue("30s") Duration lingeringTime, @DefaultValue("5s") Duration lingeringTimeout,
		@DefaultValue("128MB") DataSize lingeringMaxSize) {

	/** The prefix of these properties. */
	public static final String PREFIX = "portao.limits";

	public LimitsProperties {
		PropertyRules.positive(PREFIX + ".header-timeout", headerTimeout, "60s");
		PropertyRules.positive(PREFIX + ".body-read-timeout", bodyReadTimeout, "60s");
		// Netty counts the reset window in whole seconds, and a window of 0 s turns the Rapid Reset bound off.
		PropertyRules.wholeSeconds(PREFIX + ".http2-reset-window", http2ResetWindow, "30s");
		PropertyRules.notNegative(PREFIX + ".lingering-time", lingeringTime, "no lingering");
		PropertyRules.positive(PREFIX + ".lingering-timeout", lingeringTimeout, "5s");
		PropertyRules.notNegative(PREFIX + ".max-body-size", maxBodySize, "no limit");
		PropertyRules.notNegative(PREFIX + ".lingering-max-size", lingeringMaxSize, "no limit");
		PropertyRules.atLeast(PREFIX + ".max-header-count", maxHeaderCount, 1);
		PropertyRules.atLeast(PREFIX + ".max-connections-per-instance", maxConnectionsPerInstance, 0);
		PropertyRules.atLeast(PREFIX + ".http2-max-concurrent-streams", http2MaxConcurrentStreams, 1);
		PropertyRules.atLeast(PREFIX + ".http2-max-reset-frames", http2MaxResetFrames, 1);
	}

}
