package io.portao.accesslog;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One access log line read back: nginx {@code log_format main} plus {@code $upstream_addr $upstream_status
 * $upstream_response_time $request_time}, the upstream fields being {@code ", "}-separated lists on retries.
 */
record AccessLogLine(String remoteAddr, String remoteUser, String timeLocal, String request, int status,
		long bodyBytesSent, String referer, String userAgent, String forwardedFor, List<String> upstreamAddr,
		List<String> upstreamStatus, List<String> upstreamResponseTime, String requestTime) {

	private static final String LIST = "((?:\\S+, )*\\S+)";

	private static final Pattern LINE = Pattern.compile("^(\\S+) - (\\S+) \\[([^\\]]+)\\] \"([^\"]*)\" (\\d{3}) (\\d+) "
			+ "\"([^\"]*)\" \"([^\"]*)\" \"([^\"]*)\" " + LIST + " " + LIST + " " + LIST + " (\\d+\\.\\d{3})$");

	static AccessLogLine parse(String line) {
		Matcher m = LINE.matcher(line);
		if (!m.matches()) {
			throw new AssertionError("not an access log line: " + line);
		}
		return new AccessLogLine(m.group(1), m.group(2), m.group(3), m.group(4), Integer.parseInt(m.group(5)),
				Long.parseLong(m.group(6)), m.group(7), m.group(8), m.group(9), list(m.group(10)), list(m.group(11)),
				list(m.group(12)), m.group(13));
	}

	private static List<String> list(String value) {
		return List.of(value.split(", "));
	}

	double requestSeconds() {
		return Double.parseDouble(this.requestTime);
	}

}
