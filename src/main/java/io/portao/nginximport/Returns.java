package io.portao.nginximport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * nginx {@code return} in a location: a redirect to a constant URL becomes Spring Cloud Gateway's {@code RedirectTo},
 * a bare status its {@code SetStatus}, both on a route whose {@code no://op} URI proxies nowhere.
 */
final class Returns {

	private static final List<String> REDIRECTS = List.of("301", "302", "303", "307", "308");

	private Returns() {
	}

	static Map<String, Object> route(Directive ret, Report report) {
		List<String> args = ret.requireArgs(1).args();
		String code = args.get(0);
		String target = (args.size() > 1) ? args.get(1) : null;
		if (args.size() == 1 && (code.startsWith("http://") || code.startsWith("https://") || code.startsWith("$scheme"))) {
			target = code;
			code = "302";
		}
		if (!code.matches("\\d{3}") || code.equals("444")) {
			report.untranslated(ret, "Portão answers with a status; nginx's 444 closes the connection");
			return null;
		}
		Map<String, Object> route = new LinkedHashMap<>();
		route.put("uri", "no://op");
		if (REDIRECTS.contains(code)) {
			if (target == null || target.contains("$")) {
				report.untranslated(ret, "only a redirect to a constant URL is translated (no variables)");
				return null;
			}
			route.put("filters", List.of("RedirectTo=" + code + ", " + target));
			return route;
		}
		if (target != null) {
			report.note(ret, "answered with status " + code + " and an empty body, not the text");
		}
		route.put("filters", List.of("SetStatus=" + code));
		return route;
	}

}
