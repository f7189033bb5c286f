package io.portao.nginximport;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nginx's time and size syntax ({@code ngx_parse_time}, {@code ngx_parse_size}) turned into Spring's
 * {@code Duration} and {@code DataSize} notation.
 */
final class NginxValues {

	/** {@code 1h30m}, {@code 10s}, {@code 500ms}, {@code 60} (seconds): nginx's units, largest first. */
	private static final Pattern TIME_PART = Pattern.compile("(\\d+)(ms|y|M|w|d|h|m|s)?");

	private static final Pattern SIZE = Pattern.compile("(\\d+)([kKmMgG]?)");

	private NginxValues() {
	}

	/** The duration nginx reads from {@code value}, or null if nginx would refuse it. */
	static Duration time(String value) {
		Matcher matcher = TIME_PART.matcher(value);
		Duration total = Duration.ZERO;
		int end = 0;
		while (end < value.length() && matcher.find(end) && matcher.start() == end) {
			long n = Long.parseLong(matcher.group(1));
			String unit = (matcher.group(2) != null) ? matcher.group(2) : "s";
			total = total.plus(switch (unit) {
				case "ms" -> Duration.ofMillis(n);
				case "y" -> Duration.ofDays(365 * n);
				case "M" -> Duration.ofDays(30 * n);
				case "w" -> Duration.ofDays(7 * n);
				case "d" -> Duration.ofDays(n);
				case "h" -> Duration.ofHours(n);
				case "m" -> Duration.ofMinutes(n);
				default -> Duration.ofSeconds(n);
			});
			end = matcher.end();
		}
		return (end == value.length() && end > 0) ? total : null;
	}

	/** Spring's notation for {@code duration}: {@code 90s}, {@code 500ms}. */
	static String springDuration(Duration duration) {
		if (duration.toMillisPart() != 0) {
			return duration.toMillis() + "ms";
		}
		long seconds = duration.getSeconds();
		if (seconds != 0 && seconds % 86400 == 0) {
			return seconds / 86400 + "d";
		}
		if (seconds != 0 && seconds % 3600 == 0) {
			return seconds / 3600 + "h";
		}
		if (seconds != 0 && seconds % 60 == 0) {
			return seconds / 60 + "m";
		}
		return seconds + "s";
	}

	/** Spring's {@code DataSize} notation for nginx's {@code size} ({@code 10m} is {@code 10MB}), or null. */
	static String springSize(String value) {
		Matcher matcher = SIZE.matcher(value);
		if (!matcher.matches()) {
			return null;
		}
		String unit = matcher.group(2).toUpperCase(Locale.ROOT);
		return matcher.group(1) + (unit.isEmpty() ? "B" : unit + "B");
	}

}
