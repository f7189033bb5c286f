package io.portao.nginx;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.portao.support.FakeBackend;
import io.portao.support.RawHttpClient;
import io.portao.support.RawHttpClient.RawResponse;

/**
 * One server's answer to a raw HTTP/1.1 request, with a chunked body decoded so that nginx (which re-frames
 * bodies with Content-Length or chunks as it likes) and Portão compare byte for byte (ISO-8859-1 keeps bytes).
 */
record Answer(int status, Map<String, String> headers, String body) {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	/**
	 * Headers that describe one connection, not the request (RFC 9110 §7.6.1): nginx talks HTTP/1.0 to its
	 * upstreams with its own framing, so only the end-to-end headers are compared. {@code content-length} is
	 * framing too: nginx buffers a chunked body and sends its length; the body's size is compared instead.
	 */
	static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
			"transfer-encoding", "upgrade", "content-length");

	static Answer send(int port, String request) throws IOException {
		return of(RawHttpClient.send(port, request, TIMEOUT), port, request);
	}

	static Answer of(RawResponse raw, int port, String request) {
		if (raw.status() < 0) {
			throw new IllegalStateException("no HTTP answer from port " + port + " to:\n" + request + "got: " + raw.raw());
		}
		boolean chunked = "chunked".equalsIgnoreCase(raw.header("transfer-encoding"));
		return new Answer(raw.status(), raw.headers(), chunked ? dechunk(raw.body()) : raw.body());
	}

	/** Who answered: the backend's name ({@code X-Backend}), or the status when no backend did. */
	String answeredBy() {
		String backend = header("X-Backend");
		return (backend != null) ? backend : String.valueOf(this.status);
	}

	String header(String name) {
		return this.headers.get(name.toLowerCase(Locale.ROOT));
	}

	/** The values of {@code names} (null when absent), in order, to compare as one list. */
	Map<String, String> headers(List<String> names) {
		Map<String, String> values = new LinkedHashMap<>();
		names.forEach(name -> values.put(name, header(name)));
		return values;
	}

	/** The request as the {@link FakeBackend} that answered received it. */
	FakeBackend.Echo echo() {
		return FakeBackend.Echo.parse(this.body);
	}

	/** The end-to-end headers the backend received, without the hop-by-hop ones. */
	Map<String, String> forwardedHeaders() {
		Map<String, String> headers = new LinkedHashMap<>(echo().headers());
		headers.keySet().removeAll(HOP_BY_HOP);
		return headers;
	}

	private static String dechunk(String body) {
		StringBuilder out = new StringBuilder();
		int at = 0;
		while (at < body.length()) {
			int lineEnd = body.indexOf("\r\n", at);
			String sizeField = body.substring(at, lineEnd).split(";")[0].trim();
			int size = Integer.parseInt(sizeField, 16);
			if (size == 0) {
				break;
			}
			out.append(body, lineEnd + 2, lineEnd + 2 + size);
			at = lineEnd + 2 + size + 2;
		}
		return out.toString();
	}

}
