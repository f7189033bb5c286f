package io.portao.accesslog;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;

import io.netty.util.NetUtil;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * nginx's {@code log_format main} followed by the upstream fields:
 * <pre>
 * $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer"
 * "$http_user_agent" "$http_x_forwarded_for" $upstream_addr $upstream_status $upstream_response_time $request_time
 * </pre>
 * Absent values are {@code -}; times are seconds with millisecond precision; the upstream fields list every
 * attempt separated by {@code ", "}, as nginx does on a retry. Quoted values are escaped like nginx's default
 * {@code escape=default}: {@code "}, {@code \} and bytes outside 0x20..0x7e become {@code \xHH}.
 */
final class AccessLogFormat {

	private static final DateTimeFormatter TIME_LOCAL = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z",
			Locale.ENGLISH);

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	private final ZoneId zone;

	/** {@code $time_local} changes once a second: formatted once per second, not per request. */
	private volatile CachedTime cachedTime = new CachedTime(Long.MIN_VALUE, "");

	AccessLogFormat(ZoneId zone) {
		this.zone = zone;
	}

	/** The line, without its newline; handed on as is (no copy into a {@code String}). */
	StringBuilder format(ServerHttpRequest request, ServerHttpResponse response, String clientAddress,
			AccessLogEntry entry, long nowMillis, long nowNanos) {
		StringBuilder line = new StringBuilder(256);
		line.append(clientAddress).append(" - ");
		appendRemoteUser(line, request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
		line.append(" [").append(timeLocal(nowMillis)).append("] \"");
		appendRequestLine(line, request);
		line.append("\" ").append(status(response)).append(' ').append(entry.bodyBytes).append(' ');
		appendQuoted(line, request.getHeaders().getFirst(HttpHeaders.REFERER));
		line.append(' ');
		appendQuoted(line, request.getHeaders().getFirst(HttpHeaders.USER_AGENT));
		line.append(' ');
		appendQuoted(line, request.getHeaders().getFirst("X-Forwarded-For"));
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
		long second = Math.floorDiv(nowMillis, 1000);
		CachedTime cached = this.cachedTime;
		if (cached.second != second) {
			cached = new CachedTime(second, TIME_LOCAL.format(Instant.ofEpochSecond(second).atZone(this.zone)));
			this.cachedTime = cached;
		}
		return cached.text;
	}

	private static int status(ServerHttpResponse response) {
		HttpStatusCode status = response.getStatusCode();
		return (status != null) ? status.value() : 200;
	}

	private static void appendRequestLine(StringBuilder line, ServerHttpRequest request) {
		appendEscaped(line, request.getMethod().name());
		line.append(' ');
		appendEscaped(line, request.getURI().getRawPath());
		String query = request.getURI().getRawQuery();
		if (query != null) {
			line.append('?');
			appendEscaped(line, query);
		}
		line.append(' ').append(protocol(request));
	}

	/** {@code HTTP/1.1} or {@code HTTP/2.0}, from Reactor Netty's request (Spring's API does not carry it). */
	private static String protocol(ServerHttpRequest request) {
		try {
			Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
			if (nativeRequest instanceof reactor.netty.http.server.HttpServerRequest netty) {
				return netty.version().text();
			}
		}
		catch (IllegalStateException ex) {
			// Not served by a running server (a mock request): nothing to read the version from.
		}
		return "HTTP/1.1";
	}

	private static void appendUpstreams(StringBuilder line, AccessLogEntry entry) {
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
	static void appendSeconds(StringBuilder line, long nanos) {
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
	private static void appendRemoteUser(StringBuilder line, String authorization) {
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

	private static void appendQuoted(StringBuilder line, String value) {
		line.append('"');
		if (value == null) {
			line.append('-');
		}
		else {
			appendEscaped(line, value);
		}
		line.append('"');
	}

	private static void appendEscaped(StringBuilder line, String value) {
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

	private static void appendHexEscapes(StringBuilder line, char c) {
		byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
		for (byte b : bytes) {
			line.append("\\x").append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
		}
	}

	private record CachedTime(long second, String text) {
	}

}
