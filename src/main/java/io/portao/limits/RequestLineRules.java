package io.portao.limits;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The request line as nginx reads it, checked on what Netty's decoder made of it. The decoder already refuses a
 * version that is not {@code HTTP/<digit>.<digit>} ({@code HTTP/1.10}, {@code HTTP/01.1}, {@code HTTP/1}:
 * RFC 9112 §2.3), HTTP/0.9's line without a version, a method that is not a token, and a space in the target.
 * What it lets through, the gateway refuses here:
 * <ul>
 * <li>A version other than {@code HTTP/1.1} and {@code HTTP/1.0}: {@code 505} (RFC 9110 §15.6.6; nginx answers
 * {@code 505} from {@code HTTP/2.0} up), or {@code 400} for {@code HTTP/0.x} and a lower-case name
 * ({@code http/1.1}: the name is case-sensitive, RFC 9112 §2.3; nginx {@code 400}). nginx serves
 * {@code HTTP/1.2} to {@code HTTP/1.9} as HTTP/1.1 (RFC 9110 §2.5); Portão answers them {@code 505}, because Netty
 * has upper-cased the name before anything sees it, so accepting {@code HTTP/1.2} would accept {@code http/1.2},
 * which nginx refuses.</li>
 * <li>A method with anything but upper-case letters, {@code _} and {@code -}: {@code 400}, as nginx
 * ({@code get}, {@code G.T}, {@code FOO1}), though RFC 9110 §9.1 allows any token.</li>
 * <li>A target in neither origin-form ({@code /path}) nor absolute-form ({@code http://host/path}): {@code 400},
 * as nginx, for the asterisk-form ({@code OPTIONS *}), the authority-form ({@code CONNECT h:443}) and anything
 * relative. An absolute-form target's authority must be a valid host (nginx's characters) with an optional port
 * and no userinfo (RFC 9110 §4.2.4). Before this check {@code GET http://h#f/e} was answered {@code 502} after an
 * {@code UnknownHostException}, which also ejected the healthy instance it had been balanced to.</li>
 * <li>{@code TRACE} and {@code CONNECT}: {@code 405}, as nginx, after the {@code Host} checks (nginx's order).</li>
 * </ul>
 */
final class RequestLineRules {

	private RequestLineRules() {
	}

	/**
	 * The status to refuse {@code request}'s line with, or {@code null} if nginx would read it too. In nginx's
	 * order, method, target, version: HTTP/2's prior-knowledge preface {@code PRI * HTTP/2.0} is a {@code 400}.
	 */
	static HttpResponseStatus refusal(HttpRequest request) {
		if (!isMethod(request.method().name()) || !isTarget(request.uri())) {
			return HttpResponseStatus.BAD_REQUEST;
		}
		return version(request.protocolVersion());
	}

	/** Whether {@code method} is one nginx never serves ({@code 405}). */
	static boolean notAllowed(HttpMethod method) {
		return HttpMethod.TRACE.equals(method) || HttpMethod.CONNECT.equals(method);
	}

	private static HttpResponseStatus version(HttpVersion version) {
		// Netty hands out its constants only for the exact bytes "HTTP/1.1" and "HTTP/1.0". Any other version is a
		// new instance whose name was upper-cased first: an instance equal to HTTP/1.1 was sent as "http/1.1".
		if (version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0) {
			return null;
		}
		boolean oneLowerCase = version.majorVersion() == 1 && version.minorVersion() <= 1;
		if (!"HTTP".equals(version.protocolName()) || oneLowerCase || version.majorVersion() == 0) {
			return HttpResponseStatus.BAD_REQUEST;
		}
		return HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED;
	}

	/** nginx's method syntax ({@code ngx_http_parse_request_line}): {@code 1*( A-Z / "_" / "-" )}. */
	private static boolean isMethod(String name) {
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if ((c < 'A' || c > 'Z') && c != '_' && c != '-') {
				return false;
			}
		}
		return !name.isEmpty();
	}

	/** Origin-form, or absolute-form with a valid authority (RFC 9112 §3.2.1, §3.2.2). */
	private static boolean isTarget(String target) {
		if (target.startsWith("/")) {
			return true;
		}
		int colon = schemeEnd(target);
		if (colon < 0 || !target.startsWith("//", colon + 1)) {
			return false;
		}
		int start = colon + 3;
		int end = start;
		while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
			end++;
		}
		return HostSyntax.validTargetAuthority(target, start, end);
	}

	/** The index of the {@code :} after an RFC 3986 scheme ({@code ALPHA *( ALPHA / DIGIT / + / - / . )}), or -1. */
	private static int schemeEnd(String target) {
		if (target.isEmpty() || !isAlpha(target.charAt(0))) {
			return -1;
		}
		for (int i = 1; i < target.length(); i++) {
			char c = target.charAt(i);
			if (c == ':') {
				return i;
			}
			if (!isAlpha(c) && (c < '0' || c > '9') && c != '+' && c != '-' && c != '.') {
				return -1;
			}
		}
		return -1;
	}

	private static boolean isAlpha(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	}

}
