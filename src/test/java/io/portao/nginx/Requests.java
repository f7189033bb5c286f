package io.portao.nginx;

import java.nio.charset.StandardCharsets;

/**
 * Raw HTTP/1.1 requests, written out byte for byte so that both servers receive exactly the same request target
 * (no client library re-encodes it). Every request asks to close the connection, so that reading ends when the
 * answer is complete.
 */
final class Requests {

	static final String HOST = "bapih.bis.com.br";

	private Requests() {
	}

	/** {@code GET target} with {@code Host: bapih.bis.com.br} unless a {@code Host} line is among {@code headers}. */
	static String get(String target, String... headers) {
		return request("GET", target, headers, "");
	}

	/** {@code GET target} with nothing but {@code Host} and {@code Connection}: no Accept, no User-Agent. */
	static String bare(String target) {
		return "GET " + target + " HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n";
	}

	/** A request with a body sent with {@code Content-Length}. */
	static String withBody(String method, String target, String body) {
		int length = body.getBytes(StandardCharsets.ISO_8859_1).length;
		return request(method, target, new String[] { "Content-Type: text/plain", "Content-Length: " + length }, body);
	}

	/** {@code POST target} whose body is sent in {@code chunks} (RFC 9112 §7.1). */
	static String chunkedPost(String target, String... chunks) {
		StringBuilder body = new StringBuilder();
		for (String chunk : chunks) {
			body.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
		}
		body.append("0\r\n\r\n");
		return request("POST", target, new String[] { "Transfer-Encoding: chunked" }, body.toString());
	}

	private static String request(String method, String target, String[] headers, String body) {
		StringBuilder out = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
		boolean hasHost = false;
		for (String header : headers) {
			hasHost |= header.regionMatches(true, 0, "Host:", 0, 5);
			out.append(header).append("\r\n");
		}
		if (!hasHost) {
			out.append("Host: ").append(HOST).append("\r\n");
		}
		return out.append("User-Agent: portao-differential\r\nConnection: close\r\n\r\n").append(body).toString();
	}

}
