package io.portao.accesslog;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;

import io.netty.util.NetUtil;

/**
 * nginx's {@code log_format main} followed by the upstream fields:
 * <pre>
 * $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer"
 * "$http_user_agent" "$http_x_forwarded_for" $upstream_addr $upstream_status $upstream_response_time $request_time
 * </pre>
 * Absent values are {@code -}; times are seconds with millisecond precision; the upstream fields list every
 * attempt separated by {@code ", "}, as nginx does on a retry. Quoted values are escaped like nginx's default
 * {@code escape=default}: {@code "}, {@code \} and bytes outside 0x20..0x7e become {@code \xHH}.
 *
 * <p>The same for the web stack and for lanes: the request's fields come as a {@link LoggedRequest}, read from
 * Spring's request or from Reactor Netty's. The line is built as the bytes written ({@link AsciiLine}).
 */
final class AccessLogFormat {

	private static final DateTimeFormatter TIME_LOCAL = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z",
			Locale.ENGLISH);

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	/** Most lines fit: an address, the time, a request line, a user agent and the upstream fields. */
	private static final int LINE_CAPACITY = 256;

	private final ZoneId zone;

	/** {@code $time_local} changes once a second: formatted once per second, not per request. */
	private volatile CachedTime cachedTime = new CachedTime(Long.MIN_VALUE, "", new byte[0]);

	AccessLogFormat(ZoneId zone) {
		this.zone = zone;
	}

	/** The line, without its newline. */
	AsciiLine format(LoggedRequest request, int status, String clientAddress, AccessLogEntry entry, long nowMillis,
			long nowNanos) {
		AsciiLine line = new AsciiLine(LINE_CAPACITY);
		line.append(clientAddress).append(" - ");
		appendRemoteUser(line, request.authorization());
		line.append(" [").append(cachedTime(nowMillis).bytes).append("] \"");
		appendRequestLine(line, request);
		line.append("\" ").append(status).append(' ').append(entry.bodyBytes).append(' ');
		appendQuoted(line, request.referer());
		line.append(' ');
		appendQuoted(line, request.userAgent());
		line.append(' ');
		appendQuoted(line, request.forwardedFor());
		line.append(' ');
		appendUpstreams(line, entry);
		line.append(' ');
		appendSeconds(line, nowNanos - entry.startNanos);
		return line;
	}

	/** The peer's address without port in RFC 5952 text ({@code ::1}), as {@code $remote_addr}; else {@code -}. */
	static String remoteAddress(InetSocketAddress address) {
		if (address == null) {
			return "-";
		}
		return (address.getAddress() != null) ? NetUtil.toAddressString(address.getAddress())
				: address.getHostString();
	}

	String timeLocal(long nowMillis) {
		return cachedTime(nowMillis).text;
	}

	private CachedTime cachedTime(long nowMillis) {
		long second = Math.floorDiv(nowMillis, 1000);
		CachedTime cached = this.cachedTime;
		if (cached.second != second) {
			String text = TIME_LOCAL.format(Instant.ofEpochSecond(second).atZone(this.zone));
			cached = new CachedTime(second, text, text.getBytes(StandardCharsets.US_ASCII));
			this.cachedTime = cached;
		}
		return cached;
	}

	private static void appendRequestLine(AsciiLine line, LoggedRequest request) {
		appendEscaped(line, request.method());
		line.append(' ');
		appendEscaped(line, request.rawPath());
		if (request.rawQuery() != null) {
			line.append('?');
			appendEscaped(line, request.rawQuery());
		}
		line.append(' ').append(request.protocol());
	}

	private static void appendUpstreams(AsciiLine line, AccessLogEntry entry) {
		if (entry.attempts == 0) {
			line.append("- - -");
			return;
		}
		for (int i = 0; i < entry.attempts; i++) {
			line.append((i == 0) ? "" : ", ").append(entry.addresses[i]);
		}
		line.append(' ');
		for (int i = 0; i < entry.attempts; i++) {
			line.append((i == 0) ? "" : ", ");
			if (entry.statuses[i] == 0) {
				line.append('-');
			}
			else {
				line.append(entry.statuses[i]);
			}
		}
		line.append(' ');
		for (int i = 0; i < entry.attempts; i++) {
			line.append((i == 0) ? "" : ", ");
			if (entry.nanos[i] < 0) {
				line.append('-');
			}
			else {
				appendSeconds(line, entry.nanos[i]);
			}
		}
	}

	/** Seconds with millisecond precision, like nginx's {@code 0.012}. */
	static void appendSeconds(AsciiLine line, long nanos) {
		long millis = Math.max(0, nanos) / 1_000_000;
		line.append(millis / 1000).append('.');
		long fraction = millis % 1000;
		if (fraction < 100) {
			line.append('0');
		}
		if (fraction < 10) {
			line.append('0');
		}
		line.append(fraction);
	}

	/** nginx {@code $remote_user}: the user name of HTTP Basic authentication (RFC 7617), else {@code -}. */
	private static void appendRemoteUser(AsciiLine line, String authorization) {
		if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
			line.append('-');
			return;
		}
		try {
			String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
					StandardCharsets.UTF_8);
			int colon = decoded.indexOf(':');
			appendEscaped(line, (colon >= 0) ? decoded.substring(0, colon) : decoded);
		}
		catch (IllegalArgumentException ex) {
			line.append('-');
		}
	}

	private static void appendQuoted(AsciiLine line, String value) {
		line.append('"');
		if (value == null) {
			line.append('-');
		}
		else {
			appendEscaped(line, value);
		}
		line.append('"');
	}

	private static void appendEscaped(AsciiLine line, String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
				appendHexEscapes(line, c);
			}
			else {
				line.append(c);
			}
		}
	}

	private static void appendHexEscapes(AsciiLine line, char c) {
		byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
		for (byte b : bytes) {
			line.append('\\').append('x').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
		}
	}

	private record CachedTime(long second, String text, byte[] bytes) {
	}

}
