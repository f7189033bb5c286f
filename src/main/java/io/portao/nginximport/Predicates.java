package io.portao.nginximport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Route predicates for nginx's location matching and {@code server_name}. {@code Path} (Spring's path patterns)
 * where it matches exactly what nginx matches; Portão's {@code PathRegex} otherwise: for regex locations, for a
 * prefix that does not end in {@code /} ({@code location /api} also matches {@code /apix}, which no path pattern
 * does), and for a prefix {@code /p/} unless a route ahead of it takes {@code /p} ({@code Path=/p/**} also matches
 * {@code /p}, which nginx gives to another location).
 */
final class Predicates {

	private Predicates() {
	}

	/** {@code slashlessTaken}: a route ahead answers the prefix without its slash (nginx's auto-redirect). */
	static Object path(Location location, boolean slashlessTaken) {
		String path = location.path();
		boolean literal = !path.matches(".*[{}*?].*");
		return switch (location.kind()) {
			case EXACT -> literal ? "Path=" + path : pathRegex("^" + quote(path) + "$");
			case PREFIX, PREFIX_NO_REGEX -> {
				if (literal && path.endsWith("/") && (slashlessTaken || path.equals("/"))) {
					yield "Path=" + path + "**";
				}
				yield pathRegex("^" + quote(path));
			}
			default -> pathRegex(path);
		};
	}

	private static Object pathRegex(String regex) {
		if (!regex.contains(",")) {
			return "PathRegex=" + regex;
		}
		Map<String, Object> full = new LinkedHashMap<>();
		full.put("name", "PathRegex");
		full.put("args", Map.of("regexp", regex));
		return full;
	}

	static String quote(String path) {
		return path.replaceAll("[.+?^$|()\\[\\]{}*\\\\]", "\\\\$0");
	}

	/**
	 * nginx {@code server_name}s as a {@code Host} predicate ({@code *.example.com} matches any depth in nginx,
	 * {@code **.example.com} in Spring's host patterns; {@code .example.com} is both the name and its subdomains).
	 */
	static List<Object> host(List<String> names, VirtualServer server, Report report) {
		List<String> patterns = new ArrayList<>();
		for (String name : names) {
			if (name.isEmpty() || name.equals("_")) {
				continue;
			}
			if (name.startsWith("~")) {
				report.untranslated(server.scope().last("server_name"), "regular-expression server names are not translated");
			}
			else if (name.startsWith(".")) {
				patterns.add(name.substring(1));
				patterns.add("**" + name);
			}
			else {
				patterns.add(name.startsWith("*.") ? "*" + name : name);
			}
		}
		return patterns.isEmpty() ? List.of() : List.of("Host=" + String.join(",", patterns));
	}

}
