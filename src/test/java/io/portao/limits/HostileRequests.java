package io.portao.limits;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

/**
 * Requests no well-behaved client sends, each with the status the gateway must answer: request smuggling
 * (CL.TE, TE.CL, TE.TE obfuscations, duplicate and malformed Content-Length), invalid chunking, bad request lines,
 * invalid header names and values, control characters and NUL, oversized and numerous headers, traversal
 * encodings, and {@link RequestLineCases}' versions, methods, target forms and hosts. Every one ends with a
 * smuggled {@code GET /smuggled} where framing could be read two ways.
 */
final class HostileRequests {

	static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n";

	/** What the gateway does beyond the status. */
	enum After {

		/** Nothing reaches the instance; the connection is closed. */
		CLOSED,

		/**
		 * The body turns out malformed while streaming: the instance may have seen the head (bodies stream, as with
		 * nginx {@code proxy_request_buffering off}) but never a complete request; the connection is closed.
		 */
		CLOSED_AFTER_HEAD,

		/** A bad target in a complete, well-framed request: nothing reaches the instance, keep-alive may go on. */
		ANSWERED

	}

	private HostileRequests() {
	}

	private static Arguments c(String name, int status, String request) {
		return c(name, status, After.CLOSED, request);
	}

	private static Arguments c(String name, int status, After after, String request) {
		return Arguments.of(name, status, after, request.getBytes(StandardCharsets.ISO_8859_1));
	}

	private static String post(String headers, String body) {
		return "POST /upload HTTP/1.1\r\nHost: h\r\n" + headers + "\r\n" + body;
	}

	private static String get(String target) {
		return "GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n";
	}

	static Stream<Arguments> all() {
		List<Arguments> cases = new ArrayList<>();
		cases.addAll(smuggling());
		cases.addAll(chunking());
		cases.addAll(requestLines());
		cases.addAll(headers());
		cases.addAll(sizes());
		cases.addAll(traversals());
		RequestLineCases.refused().stream().map(RequestLineCases.Case::hostile).forEach(cases::add);
		return cases.stream();
	}

	static List<Arguments> smuggling() {
		String chunkedThenSmuggled = "0\r\n\r\n" + SMUGGLED;
		return List.of(
				c("CL.TE", 400, post("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", chunkedThenSmuggled)),
				c("TE.CL", 400, post("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n", chunkedThenSmuggled)),
				c("CL.TE on HTTP/1.0", 400, "POST / HTTP/1.0\r\nHost: h\r\nContent-Length: 4\r\n"
						+ "Transfer-Encoding: chunked\r\n\r\n" + chunkedThenSmuggled),
				c("TE on HTTP/1.0", 400, "POST / HTTP/1.0\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
						+ chunkedThenSmuggled),
				c("TE: chunked, chunked", 400, post("Transfer-Encoding: chunked, chunked\r\n", chunkedThenSmuggled)),
				c("TE: gzip", 400, post("Transfer-Encoding: gzip\r\n", chunkedThenSmuggled)),
				c("TE: gzip, chunked", 501, post("Transfer-Encoding: gzip, chunked\r\n", chunkedThenSmuggled)),
				c("TE: chunked, gzip", 400, post("Transfer-Encoding: chunked, gzip\r\n", chunkedThenSmuggled)),
				c("TE: xchunked", 400, post("Transfer-Encoding: xchunked\r\n", chunkedThenSmuggled)),
				c("TE: identity", 400, post("Transfer-Encoding: identity\r\n", chunkedThenSmuggled)),
				c("two TE lines", 400, post("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n",
						chunkedThenSmuggled)),
				c("space before colon in TE", 400, post("Transfer-Encoding : chunked\r\n", chunkedThenSmuggled)),
				c("vertical tab before chunked", 400, post("Transfer-Encoding:\u000bchunked\r\n", chunkedThenSmuggled)),
				c("TE obs-folded", 400, post("Transfer-Encoding:\r\n chunked\r\n", chunkedThenSmuggled)),
				c("duplicate equal CL", 400, post("Content-Length: 5\r\nContent-Length: 5\r\n", "hello")),
				c("differing CL", 400, post("Content-Length: 5\r\nContent-Length: 40\r\n", "hello" + SMUGGLED)),
				c("CL list", 400, post("Content-Length: 5, 40\r\n", "hello" + SMUGGLED)),
				c("negative CL", 400, post("Content-Length: -1\r\n", SMUGGLED)),
				c("CL with plus", 400, post("Content-Length: +5\r\n", "hello")),
				c("CL not a number", 400, post("Content-Length: 5x\r\n", "hello")),
				c("CL overflowing a long", 400, post("Content-Length: 99999999999999999999\r\n", "hello")));
	}

	static List<Arguments> chunking() {
		String te = "Transfer-Encoding: chunked\r\n";
		return List.of(
				c("bare LF after chunk size (CVE-2025-58056)", 400, After.CLOSED_AFTER_HEAD, post(te, "5\nhello\r\n0\r\n\r\n" + SMUGGLED)),
				c("chunk size not hex", 400, After.CLOSED_AFTER_HEAD, post(te, "zz\r\nhello\r\n0\r\n\r\n")),
				c("chunk size overflowing", 400, After.CLOSED_AFTER_HEAD, post(te, "fffffffffffffffffff\r\nhello\r\n0\r\n\r\n")),
				c("negative chunk size", 400, After.CLOSED_AFTER_HEAD, post(te, "-5\r\nhello\r\n0\r\n\r\n")),
				c("chunk data longer than its size", 400, After.CLOSED_AFTER_HEAD, post(te, "3\r\nhello\r\n0\r\n\r\n" + SMUGGLED)),
				c("quoted chunk extension with CRLF (CVE-2026-33870)", 400, After.CLOSED_AFTER_HEAD,
						post(te, "5;a=\"x\r\n0\r\n\r\n" + SMUGGLED + "\"\r\nhello\r\n0\r\n\r\n")),
				c("space inside chunk size", 400, After.CLOSED_AFTER_HEAD, post(te, "5 5\r\nhello\r\n0\r\n\r\n")));
	}

	static List<Arguments> requestLines() {
		return List.of(
				c("unknown protocol", 400, "GET / FOO/1.1\r\nHost: h\r\n\r\n"),
				c("HTTP/0.9 style request", 400, "GET /\r\n\r\n"),
				c("space in target", 400, "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n"),
				c("NUL in target", 400, After.ANSWERED, "GET /a\u0000b HTTP/1.1\r\nHost: h\r\n\r\n"),
				c("control character in method", 400, "G\u0001T / HTTP/1.1\r\nHost: h\r\n\r\n"),
				c("no Host on HTTP/1.1", 400, "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n"),
				c("no Host on HTTP/1.0", 400, "GET / HTTP/1.0\r\nAccept: */*\r\n\r\n"),
				c("two Host headers", 400, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
				c("request line over 4 KB", 414, get("/" + "a".repeat(5000))));
	}

	static List<Arguments> headers() {
		return List.of(
				c("space in header name", 400, "GET / HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n"),
				c("control character in header name", 400, "GET / HTTP/1.1\r\nHost: h\r\nX-\u0001: x\r\n\r\n"),
				c("NUL in header value", 400, "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u0000b\r\n\r\n"),
				c("bare CR in header value", 400, "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\rb\r\n\r\n"),
				c("header line without colon", 400, "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n"),
				c("empty header name", 400, "GET / HTTP/1.1\r\nHost: h\r\n: x\r\n\r\n"));
	}

	static List<Arguments> sizes() {
		StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: h\r\n");
		for (int i = 0; i < 1000; i++) {
			many.append("X-H").append(i).append(": v\r\n");
		}
		StringBuilder overCount = new StringBuilder("GET / HTTP/1.1\r\nHost: h\r\n");
		for (int i = 0; i < 120; i++) {
			overCount.append("X-").append(i).append(": v\r\n");
		}
		return List.of(c("one header over 8 KB", 431, "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n"),
				c("1000 small headers", 431, many.append("\r\n").toString()),
				c("121 headers, under 8 KB", 431, overCount.append("\r\n").toString()),
				c("Content-Length over the 1 MB cap", 413, post("Content-Length: 1048577\r\n", "")),
				c("Content-Length of 10 GB", 413, post("Content-Length: 10737418240\r\n", "")));
	}

	static List<Arguments> traversals() {
		return List.of(c("dot-dot segment", 400, After.ANSWERED, get("/a/../secret")), c("dot segment", 400, After.ANSWERED, get("/a/./b")),
				c("encoded dot-dot", 400, After.ANSWERED, get("/%2e%2e/secret")), c("mixed encoded dot-dot", 400, After.ANSWERED, get("/a/.%2E/secret")),
				c("dot-dot and encoded slash", 400, After.ANSWERED, get("/a/..%2fsecret")),
				c("dot-dot and backslash", 400, After.ANSWERED, get("/a/..\\secret")),
				c("dot-dot and encoded backslash", 400, After.ANSWERED, get("/a/..%5csecret")),
				c("dot-dot with path parameter", 400, After.ANSWERED, get("/a/..;x=y/secret")),
				c("trailing dot-dot", 400, After.ANSWERED, get("/a/..")), c("encoded NUL", 400, After.ANSWERED, get("/a%00.png")),
				c("encoded CRLF (header injection)", 400, After.ANSWERED, get("/a%0d%0aSet-Cookie:x")),
				c("truncated percent-encoding", 400, After.ANSWERED, get("/a%")), c("invalid percent-encoding", 400, After.ANSWERED, get("/a%zz")),
				c("static dot-dot", 400, After.ANSWERED, get("/static/../application.yml")),
				c("static encoded dot-dot", 400, After.ANSWERED, get("/static/%2e%2e/%2e%2e/etc/passwd")));
	}

}
