package io.portao.limits;

/**
 * Which request paths the gateway refuses ({@code 400}) rather than normalise: those whose meaning depends on who
 * decodes them. Browsers and HTTP clients remove dot segments before sending (RFC 3986 §5.2.4), so only a hostile
 * or broken client sends one; refusing them once, before both the static file lookup and routing, means the file
 * lookup, the route predicates and the instance can never disagree on the path (the CVE-2024-38816/-38819 family,
 * Armeria's {@code DefaultRequestTarget}).
 * <ul>
 * <li>a {@code .} or {@code ..} segment, also percent-encoded ({@code %2e}), with path parameters
 * ({@code ..;x}), or delimited by an encoded slash or a backslash ({@code ..%2f}, {@code ..\}, {@code ..%5c});</li>
 * <li>an encoded control character ({@code %00}-{@code %1f}, {@code %7f}: NUL truncation, header injection);</li>
 * <li>a malformed percent-encoding ({@code /a%zz}, {@code /a%}, as nginx).</li>
 * </ul>
 * Everything else (including {@code //}, {@code %2F} and double encodings such as {@code %252e}) is passed to the
 * instance byte for byte, as nginx's {@code proxy_pass} without a URI part does.
 */
public final class RequestTargetRules {

	private RequestTargetRules() {
	}

	/** Whether the path of {@code target} (origin-form, not decoded; a query is ignored) must be refused. */
	public static boolean refused(String target) {
		String rawPath = target;
		int query = target.indexOf('?');
		int end = (query < 0) ? target.length() : query;
		int segmentStart = 0;
		for (int i = 0; i < end; i++) {
			char c = rawPath.charAt(i);
			if (c == '%') {
				int decoded = decodeAt(rawPath, i, end);
				if (decoded < 0 || decoded < 0x20 || decoded == 0x7f) {
					return true;
				}
				if (decoded == '/' || decoded == '\\') {
					if (isDotSegment(rawPath, segmentStart, i)) {
						return true;
					}
					segmentStart = i + 3;
				}
				i += 2;
			}
			else if (c == '/' || c == '\\') {
				if (isDotSegment(rawPath, segmentStart, i)) {
					return true;
				}
				segmentStart = i + 1;
			}
		}
		return isDotSegment(rawPath, segmentStart, end);
	}

	/** The byte encoded at {@code path[i..i+2]}, or -1 if it is not a valid percent-encoding. */
	private static int decodeAt(String path, int i, int end) {
		if (i + 2 >= end) {
			return -1;
		}
		int high = Character.digit(path.charAt(i + 1), 16);
		int low = Character.digit(path.charAt(i + 2), 16);
		return (high < 0 || low < 0) ? -1 : (high << 4) | low;
	}

	/** Whether {@code path[start..end)}, before any {@code ;} parameters, is {@code .} or {@code ..}, encoded or not. */
	private static boolean isDotSegment(String path, int start, int end) {
		int dots = 0;
		for (int i = start; i < end; i++) {
			char c = path.charAt(i);
			if (c == ';') {
				break;
			}
			if (c == '.') {
				dots++;
			}
			else if (c == '%' && i + 2 < end && path.charAt(i + 1) == '2'
					&& (path.charAt(i + 2) == 'e' || path.charAt(i + 2) == 'E')) {
				dots++;
				i += 2;
			}
			else {
				return false;
			}
		}
		return dots == 1 || dots == 2;
	}

}
