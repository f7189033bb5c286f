package io.portao.limits;

import io.netty.util.NetUtil;

/**
 * Whether a {@code Host} field value, or the authority of an absolute-form request target, is one the gateway
 * accepts: RFC 3986's {@code host [":" port]} (RFC 9110 §7.2), with what nginx refuses on top. RFC 9112 §3.2: a
 * server MUST answer {@code 400} to a request with an invalid {@code Host}. Refused:
 * <ul>
 * <li>anything outside a reg-name's characters (unreserved, percent-encoded, sub-delims: RFC 3986 §3.2.2), so
 * spaces, controls, {@code /}, {@code \}, {@code @} (userinfo), {@code ?}, {@code #}, quotes, {@code <>} and raw
 * non-ASCII bytes;</li>
 * <li>an empty host ({@code Host: }, {@code Host: :80}), two dots in a row or a name of only a dot (nginx's
 * {@code ngx_http_validate_host});</li>
 * <li>an IP literal that is not one ({@code [::1}, {@code [zz]}, {@code [::1]x}), or an IPv6 zone;</li>
 * <li>a port that is not digits, or over 65535 ({@code h:port}, {@code h:80:81}, {@code h:-1}, {@code h:99999}).</li>
 * </ul>
 * In an absolute-form target nginx allows only letters, digits, {@code .} and {@code -} in a name
 * ({@code ngx_http_parse_request_line}): {@code http://a_b/} and {@code http://%68/} are refused there, though
 * RFC 3986 allows them in a {@code Host} field. Also the check of the plain-HTTP redirect's {@code Host}
 * ({@code io.portao.tls.RedirectLocation}).
 */
public final class HostSyntax {

	private static final String SUB_DELIMS = "!$&'()*+,;=";

	private HostSyntax() {
	}

	/**
	 * Whether {@code value}, a {@code Host} field value without surrounding whitespace, is valid; {@code null}
	 * (no {@code Host}) is not.
	 */
	public static boolean validHeader(String value) {
		return value != null && valid(value, 0, value.length(), false);
	}

	/** Whether {@code target[start..end)}, the authority of an absolute-form target, is valid. */
	static boolean validTargetAuthority(String target, int start, int end) {
		return valid(target, start, end, true);
	}

	private static boolean valid(String s, int start, int end, boolean nginxTargetName) {
		if (start == end) {
			return false;
		}
		if (s.charAt(start) == '[') {
			int close = s.indexOf(']', start);
			if (close < 0 || close >= end || !ipLiteral(s, start + 1, close)) {
				return false;
			}
			return close + 1 == end || (s.charAt(close + 1) == ':' && port(s, close + 2, end));
		}
		int colon = s.indexOf(':', start);
		int nameEnd = (colon < 0 || colon >= end) ? end : colon;
		return regName(s, start, nameEnd, nginxTargetName) && (nameEnd == end || port(s, nameEnd + 1, end));
	}

	/** RFC 3986 reg-name, not empty, without {@code ..} and not a lone {@code .} (nginx). */
	private static boolean regName(String s, int start, int end, boolean nginxTargetName) {
		boolean nonDot = false;
		for (int i = start; i < end; i++) {
			char c = s.charAt(i);
			if (c == '.') {
				if (i > start && s.charAt(i - 1) == '.') {
					return false;
				}
				continue;
			}
			nonDot = true;
			if (nginxTargetName ? !(isAlphaNum(c) || c == '-') : !regNameChar(s, i, end)) {
				return false;
			}
			if (c == '%') {
				i += 2;
			}
		}
		return nonDot;
	}

	private static boolean regNameChar(String s, int i, int end) {
		char c = s.charAt(i);
		if (isAlphaNum(c) || c == '-' || c == '_' || c == '~' || SUB_DELIMS.indexOf(c) >= 0) {
			return true;
		}
		return c == '%' && i + 2 < end && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2));
	}

	/** {@code IPv6address / IPvFuture} between the brackets (RFC 3986 §3.2.2); no zone identifier. */
	private static boolean ipLiteral(String s, int start, int end) {
		if (start < end && (s.charAt(start) == 'v' || s.charAt(start) == 'V')) {
			return ipFuture(s, start + 1, end);
		}
		for (int i = start; i < end; i++) {
			char c = s.charAt(i);
			if (!isHex(c) && c != ':' && c != '.') {
				return false;
			}
		}
		return start < end && NetUtil.isValidIpV6Address(s.substring(start, end));
	}

	/** What follows the {@code v} of {@code "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )}. */
	private static boolean ipFuture(String s, int start, int end) {
		int dot = s.indexOf('.', start);
		if (dot <= start || dot >= end - 1) {
			return false;
		}
		for (int i = start; i < dot; i++) {
			if (!isHex(s.charAt(i))) {
				return false;
			}
		}
		for (int i = dot + 1; i < end; i++) {
			char c = s.charAt(i);
			if (!(isAlphaNum(c) || "-._~:".indexOf(c) >= 0 || SUB_DELIMS.indexOf(c) >= 0)) {
				return false;
			}
		}
		return true;
	}

	/** RFC 3986 allows any run of digits, even none ({@code h:}); a TCP port is at most 65535. */
	private static boolean port(String s, int start, int end) {
		int value = 0;
		for (int i = start; i < end; i++) {
			char c = s.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
			value = value * 10 + (c - '0');
			if (value > 65535) {
				return false;
			}
		}
		return true;
	}

	private static boolean isAlphaNum(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	}

	private static boolean isHex(char c) {
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	}

}
