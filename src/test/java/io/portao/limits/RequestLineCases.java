package io.portao.limits;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.provider.Arguments;

import io.portao.limits.HostileRequests.After;

/**
 * The request line and {@code Host} values a fuzzer tries (versions, methods, target forms, hosts), each with the
 * status Portão answers and the one the reference nginx 1.22 answered. {@link HostileRequestIntegrationTests}
 * checks Portão's statuses, {@code RequestLineDifferentialIntegrationTests} both against a real nginx. Where the
 * two differ the case says why: Portão is stricter (RFC 9112 §2.3's one-digit version, RFC 3986's host syntax) or
 * Netty decides before Portão sees the request.
 */
final class RequestLineCases {

	/** nginx answered as HTTP/0.9 does: the instance's body without a status line (and it proxied the request). */
	static final int HTTP_09 = -1;

	/** One request; {@code portao} and {@code nginx} are the statuses each answers. */
	record Case(String name, int portao, int nginx, String request) {

		byte[] bytes() {
			return this.request.getBytes(StandardCharsets.ISO_8859_1);
		}

		/** As a {@link HostileRequests} case: refused, connection closed, nothing reaching the instance. */
		Arguments hostile() {
			return Arguments.of(this.name, this.portao, After.CLOSED, bytes());
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	private RequestLineCases() {
	}

	private static Case c(String name, int portao, int nginx, String request) {
		return new Case(name, portao, nginx, request);
	}

	/** {@code line} with {@code Host: h}. */
	private static String line(String line) {
		return line + "\r\nHost: h\r\n\r\n";
	}

	/** {@code GET /e HTTP/1.1} with {@code Host: value}. */
	private static String host(String value) {
		return "GET /e HTTP/1.1\r\nHost: " + value + "\r\n\r\n";
	}

	/** Every request either server refuses. */
	static List<Case> refused() {
		List<Case> cases = new ArrayList<>();
		cases.addAll(versions());
		cases.addAll(methods());
		cases.addAll(targets());
		cases.addAll(hosts());
		return cases;
	}

	static List<Case> versions() {
		return List.of(c("HTTP/9.9", 505, 505, line("GET /e HTTP/9.9")),
				c("HTTP/2.0 on HTTP/1.1's parser", 505, 505, line("GET /e HTTP/2.0")),
				c("HTTP/3.0", 505, 505, line("GET /e HTTP/3.0")),
				c("HTTP/9.9 for a static file", 505, 505, line("GET /static/app.css HTTP/9.9")),
				// nginx serves 1.2 to 1.999 as HTTP/1.1 (RFC 9110 §2.5): Netty upper-cases the name first, and
				// http/1.2, which nginx refuses, would be served too.
				c("HTTP/1.2", 505, 200, line("GET /e HTTP/1.2")),
				// Netty parses only one digit on each side (RFC 9112 §2.3), nginx up to three.
				c("HTTP/10.1", 400, 505, line("GET /e HTTP/10.1")), c("HTTP/1.10", 400, 200, line("GET /e HTTP/1.10")),
				c("HTTP/1.01", 400, 200, line("GET /e HTTP/1.01")), c("HTTP/01.1", 400, 400, line("GET /e HTTP/01.1")),
				c("HTTP/0.9 with a version", 400, 400, line("GET /e HTTP/0.9")),
				c("lower-case http/1.1", 400, 400, line("GET /e http/1.1")),
				c("mixed-case Http/1.0", 400, 400, line("GET /e Http/1.0")),
				c("lower-case http/1.1 for a static file", 400, 400, line("GET /static/app.css http/1.1")),
				// Netty upper-cases the name before Portão sees it: a version it does not serve either way.
				c("lower-case http/9.9", 505, 400, line("GET /e http/9.9")),
				c("HTTP/1 without a minor", 400, 400, line("GET /e HTTP/1")),
				c("space after the version", 400, 200, line("GET /e HTTP/1.1 ")),
				c("HTTP/0.9's bare line", 400, HTTP_09, "GET /\r\n"));
	}

	static List<Case> methods() {
		return List.of(c("lower-case method", 400, 400, line("get /e HTTP/1.1")),
				c("mixed-case method", 400, 400, line("Get /e HTTP/1.1")),
				c("digit in method", 400, 400, line("FOO1 /e HTTP/1.1")),
				c("dot in method", 400, 400, line("G.T /e HTTP/1.1")), c("bang in method", 400, 400, line("G!T /e HTTP/1.1")),
				c("TRACE", 405, 405, line("TRACE /e HTTP/1.1")), c("CONNECT", 405, 405, line("CONNECT / HTTP/1.1")),
				c("CONNECT in authority-form", 400, 400, "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n"),
				c("TRACE *", 400, 400, line("TRACE * HTTP/1.1")), c("M-SEARCH *", 400, 400, line("M-SEARCH * HTTP/1.1")),
				// HTTP/2's prior-knowledge preface on the plain port: the target is read before the version.
				c("PRI * HTTP/2.0", 400, 400, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
	}

	static List<Case> targets() {
		return List.of(c("asterisk-form OPTIONS", 400, 400, line("OPTIONS * HTTP/1.1")),
				c("asterisk-form GET", 400, 400, line("GET * HTTP/1.1")),
				c("authority-form GET", 400, 400, line("GET h:80 HTTP/1.1")),
				c("relative target", 400, 400, line("GET h/abs HTTP/1.1")), c("bare word", 400, 400, line("GET abs HTTP/1.1")),
				c("query only", 400, 400, line("GET ?q HTTP/1.1")), c("scheme, one slash", 400, 400, line("GET http:/abs HTTP/1.1")),
				c("absolute, no host", 400, 400, line("GET http:///e HTTP/1.1")),
				c("absolute, port only", 400, 400, line("GET http://:80/e HTTP/1.1")),
				c("absolute, userinfo", 400, 400, line("GET http://u@h/abs HTTP/1.1")),
				c("absolute, port not a number", 400, 400, line("GET http://h:x/abs HTTP/1.1")),
				c("absolute, unclosed IP literal", 400, 400, line("GET http://[::1/abs HTTP/1.1")),
				c("absolute, two dots", 400, 400, line("GET http://a..b/e HTTP/1.1")),
				c("absolute, underscore", 400, 400, line("GET http://a_b/e HTTP/1.1")),
				c("absolute, encoded host", 400, 400, line("GET http://%68/e HTTP/1.1")),
				// Was 502 after an UnknownHostException, ejecting the healthy instance.
				c("absolute, fragment in authority", 400, 400, line("GET http://h#f/e HTTP/1.1")),
				c("absolute, encoded port", 400, 400, line("GET http://h:8%30/e HTTP/1.1")),
				c("scheme starting with a digit", 400, 400, line("GET 1ttp://h/e HTTP/1.1")),
				c("underscore in scheme", 400, 400, line("GET ht_tp://h/e HTTP/1.1")),
				c("absolute, bad Host header", 400, 400, "GET http://a/e HTTP/1.1\r\nHost: a b\r\n\r\n"));
	}

	static List<Case> hosts() {
		List<Case> cases = new ArrayList<>(List.of(c("Host with a space", 400, 400, host("a b")),
				c("Host with a tab", 400, 400, host("a\tb")), c("empty Host", 400, 400, host("")),
				c("empty Host on HTTP/1.0", 400, 400, "GET /e HTTP/1.0\r\nHost: \r\n\r\n"),
				c("Host with a space, static file", 400, 400, "GET /static/app.css HTTP/1.1\r\nHost: a b\r\n\r\n"),
				c("Host port only", 400, 400, host(":80")), c("Host with a slash", 400, 400, host("a/b")),
				c("Host with two dots", 400, 400, host("a..b")), c("Host ..", 400, 400, host("..")),
				c("Host .", 400, 400, host(".")), c("Host list", 400, 400, host("h, h")),
				c("Host unbracketed IPv6", 400, 400, host("::1")), c("Host IPv6 closing bracket only", 400, 400, host("::1]"))));
		// nginx checks only the characters above (ngx_http_validate_host); these break RFC 3986's host [":" port].
		cases.addAll(List.of(c("Host unclosed IP literal", 400, 200, host("[::1")),
				c("Host text after IP literal", 400, 200, host("[::1]x")), c("Host IP literal not IPv6", 400, 200, host("[zz]")),
				c("Host port not a number", 400, 200, host("h:port")),
				c("Host port and more", 400, 200, host("h:port:extra")), c("Host two ports", 400, 200, host("h:80:81")),
				c("Host negative port", 400, 200, host("h:-1")), c("Host port over 65535", 400, 200, host("h:99999")),
				c("Host with a backslash", 400, 200, host("a\\b")), c("Host with userinfo", 400, 200, host("a@b")),
				c("Host with a question mark", 400, 200, host("a?b")), c("Host with a hash", 400, 200, host("a#b")),
				c("Host with a quote", 400, 200, host("a\"b")), c("Host with angle brackets", 400, 200, host("a<b>")),
				c("Host raw UTF-8", 400, 200, host("caf\u00c3\u00a9")),
				// Allowed by RFC 3986 (port = *DIGIT); Reactor Netty refuses it.
				c("Host empty port", 400, 200, host("h:"))));
		return cases;
	}

	/** Read alike: both serve these, and both pass them to the instance. */
	static List<Case> servedAlike() {
		return List.of(c("HTTP/1.0", 200, 200, line("GET /e HTTP/1.0")),
				c("method with underscore", 200, 200, line("FOO_BAR /e HTTP/1.1")),
				c("WebDAV method", 200, 200, line("PROPFIND /e HTTP/1.1")), c("TRACK", 200, 200, line("TRACK /e HTTP/1.1")),
				c("OPTIONS origin-form", 200, 200, line("OPTIONS /e HTTP/1.1")),
				c("absolute-form", 200, 200, line("GET http://h/abs HTTP/1.1")),
				c("absolute-form, upper-case scheme", 200, 200, line("GET HTTP://H/abs HTTP/1.1")),
				c("absolute-form, no path", 200, 200, line("GET http://h HTTP/1.1")),
				c("absolute-form, IPv6 and port", 200, 200, line("GET http://[::1]:80/abs HTTP/1.1")),
				c("Host IPv6 with port", 200, 200, host("[::1]:8080")), c("Host with underscore", 200, 200, host("a_b")),
				c("Host with comma", 200, 200, host("a,b")), c("Host percent-encoded", 200, 200, host("a%20b")),
				c("Host trailing dot", 200, 200, host("a.")), c("Host IPv4 and port", 200, 200, host("1.2.3.4:5")),
				c("Host IPvFuture", 200, 200, host("[v1.x]")));
	}

	/**
	 * nginx refuses these ({@code 400}); Netty splits the request line on any whitespace (SP, HTAB, VT, FF, a bare
	 * CR) and skips leading whitespace, as RFC 9112 §3 allows, before anything after it sees the line. The
	 * instance receives the line rebuilt with single spaces, so the two cannot read it differently.
	 */
	static List<Case> whitespaceNettyAccepts() {
		return List.of(c("leading space", 200, 400, line(" GET /e HTTP/1.1")),
				c("tab after method", 200, 400, line("GET\t/e HTTP/1.1")),
				c("tab before version", 200, 400, line("GET /e\tHTTP/1.1")),
				c("vertical tab after method", 200, 400, line("GET\u000b/e HTTP/1.1")),
				c("form feed after method", 200, 400, line("GET\u000c/e HTTP/1.1")),
				c("bare CR after method", 200, 400, line("GET\r/e HTTP/1.1")));
	}

}
