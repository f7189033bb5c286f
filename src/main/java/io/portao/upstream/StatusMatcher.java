package io.portao.upstream;

import java.util.regex.Pattern;

/** {@code 2xx}, {@code 204} or {@code 200-399}: how health-check expected statuses are written. */
final class StatusMatcher {

	private static final Pattern CLASS = Pattern.compile("[1-5]xx");

	private static final Pattern CODE = Pattern.compile("[1-5][0-9][0-9]");

	private static final Pattern RANGE = Pattern.compile("[1-5][0-9][0-9]-[1-5][0-9][0-9]");

	private StatusMatcher() {
	}

	static boolean isValid(String expected) {
		String value = expected.trim().toLowerCase(java.util.Locale.ROOT);
		return CLASS.matcher(value).matches() || CODE.matcher(value).matches() || RANGE.matcher(value).matches();
	}

	static boolean matches(String expected, int status) {
		String value = expected.trim().toLowerCase(java.util.Locale.ROOT);
		if (CLASS.matcher(value).matches()) {
			return status / 100 == value.charAt(0) - '0';
		}
		if (RANGE.matcher(value).matches()) {
			return status >= Integer.parseInt(value.substring(0, 3)) && status <= Integer.parseInt(value.substring(4));
		}
		return status == Integer.parseInt(value);
	}

}
