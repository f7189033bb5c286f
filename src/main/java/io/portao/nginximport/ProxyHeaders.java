package io.portao.nginximport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code proxy_set_header}, {@code proxy_hide_header}, {@code proxy_pass_header}, {@code proxy_redirect} and
 * {@code add_header} of a proxied location as Spring Cloud Gateway filters. The reference configuration's headers
 * ({@code Host $http_host}, {@code X-Real-IP $remote_addr}, {@code X-Scheme $scheme}, {@code proxy_pass_header
 * Server}, {@code proxy_redirect off}) are what Portão does for every route, so they need no filter.
 */
final class ProxyHeaders {

	/** Request headers Portão sets on every proxied request, with the nginx value that means the same. */
	private static final Map<String, String> DEFAULTS = Map.of("host", "$http_host", "x-real-ip", "$remote_addr",
			"x-scheme", "$scheme");

	private final Report report;

	private final String gatewayScheme;

	/** Whether a location asked for {@code X-Forwarded-For}: {@code portao.send-x-forwarded-for}. */
	private boolean sendForwardedFor;

	private final int gatewayPort;

	ProxyHeaders(Report report, String gatewayScheme, int gatewayPort) {
		this.report = report;
		this.gatewayScheme = gatewayScheme;
		this.gatewayPort = gatewayPort;
	}

	boolean sendsForwardedFor() {
		return this.sendForwardedFor;
	}

	void translate(Scope scope, List<Object> filters) {
		for (Directive header : scope.all("proxy_set_header")) {
			requestHeader(header, filters);
		}
		for (Directive hide : scope.all("proxy_hide_header")) {
			filters.add("RemoveResponseHeader=" + hide.arg());
		}
		Directive redirect = scope.last("proxy_redirect");
		if (redirect != null && !redirect.arg().equals("off") && !redirect.arg().equals("default")) {
			this.report.untranslated(redirect, "Portão never rewrites Location (proxy_redirect off)");
		}
		for (Directive add : scope.all("add_header")) {
			responseHeader(add, filters);
		}
		Directive expires = scope.last("expires");
		if (expires != null && !expires.arg().equals("off")) {
			this.report.untranslated(expires, "Portão sets no caching headers on proxied responses");
		}
	}

	private void requestHeader(Directive header, List<Object> filters) {
		if (header.args().size() != 2) {
			throw new ConfigSyntaxException(header.file(), header.line(), "invalid number of arguments in \"proxy_set_header\"");
		}
		String name = header.arg();
		String value = header.args().get(1);
		String lower = name.toLowerCase(Locale.ROOT);
		if (value.equals(DEFAULTS.get(lower)) || isWebSocketUpgrade(lower, value)) {
			return;
		}
		if (lower.equals("host") && value.equals("$host")) {
			this.report.note(header, "Portão sends the client's Host as received, port included ($http_host)");
			return;
		}
		// Portão serves one port with one scheme: nginx's $scheme and $server_port are constants here.
		if (value.equals("$scheme")) {
			filters.add(setRequestHeader(name, this.gatewayScheme));
			return;
		}
		if (value.equals("$server_port")) {
			filters.add(setRequestHeader(name, String.valueOf(this.gatewayPort)));
			return;
		}
		if (lower.equals("x-forwarded-for") && (value.equals("$proxy_add_x_forwarded_for")
				|| value.equals("$remote_addr"))) {
			this.sendForwardedFor = true;
			if (value.startsWith("$proxy")) {
				this.report.note(header, "a client-sent X-Forwarded-For is kept only from portao.trusted-proxies; "
						+ "from any other client the header is its address alone");
			}
			return;
		}
		if (value.isEmpty()) {
			filters.add("RemoveRequestHeader=" + name);
			return;
		}
		if (value.contains("$") || DEFAULTS.containsKey(lower)) {
			this.report.untranslated(header, "only the reference headers and constant values are translated");
			return;
		}
		filters.add(setRequestHeader(name, value));
	}

	/** WebSocket upgrades are proxied by default; {@code Connection ""} (keep-alive to instances) too. */
	private static boolean isWebSocketUpgrade(String name, String value) {
		return (name.equals("upgrade") && value.equals("$http_upgrade"))
				|| (name.equals("connection") && (value.equalsIgnoreCase("upgrade") || value.isEmpty()
						|| value.equals("$connection_upgrade")));
	}

	private void responseHeader(Directive add, List<Object> filters) {
		if (add.args().size() < 2 || add.args().get(1).contains("$")) {
			this.report.untranslated(add, "only constant header values are translated");
			return;
		}
		if (!add.args().contains("always")) {
			this.report.note(add, "added to every response, not only 2xx and 3xx ones (as with nginx's always)");
		}
		filters.add(filter("AddResponseHeader", add.arg(), add.args().get(1)));
	}

	private static Object setRequestHeader(String name, String value) {
		return filter("SetRequestHeader", name, value);
	}

	/**
	 * The shortcut form {@code Name=header, value}, or the full form when the value holds a comma, which the shortcut
	 * would split.
	 */
	static Object filter(String filter, String name, String value) {
		if (!value.contains(",") && !value.startsWith(" ")) {
			return filter + "=" + name + ", " + value;
		}
		Map<String, Object> args = new LinkedHashMap<>();
		args.put("name", name);
		args.put("value", value);
		Map<String, Object> full = new LinkedHashMap<>();
		full.put("name", filter);
		full.put("args", args);
		return full;
	}

}
