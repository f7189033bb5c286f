package io.portao.nginximport;

import java.time.Duration;
import java.util.List;

/**
 * Directives Portão has one setting for, read from the first served server (which inherits the {@code http}
 * level's): keep-alive and client timeouts, the body limit, the access log, the trusted proxies.
 */
final class Globals {

	private Globals() {
	}

	static void translate(PortaoYaml yaml, Report report, Scope http, List<VirtualServer> servers) {
		Mapping.reportUnknown(report, http.own());
		Scope scope = servers.get(0).scope();
		duration(yaml, report, scope.last("keepalive_timeout"), "65s", "server", "netty", "idle-timeout");
		duration(yaml, report, scope.last("client_header_timeout"), "60s", "portao", "limits", "header-timeout");
		duration(yaml, report, scope.last("client_body_timeout"), "60s", "portao", "limits", "body-read-timeout");
		bodySize(yaml, report, scope.last("client_max_body_size"));
		accessLog(yaml, report, scope.all("access_log"));
		scope.all("log_format").forEach(format -> logFormat(report, format));
		scope.all("error_log").forEach(errorLog -> errorLog(report, errorLog));
		realIp(yaml, report, scope);
		Directive defaultType = scope.last("default_type");
		if (defaultType != null && !defaultType.arg().equals("application/octet-stream")) {
			report.untranslated(defaultType, "Portão's default type is application/octet-stream");
		}
		Directive headers = scope.last("large_client_header_buffers");
		if (headers != null && !headers.args().equals(List.of("4", "8k"))) {
			report.untranslated(headers, "Portão's limits are server.max-http-request-header-size (8KB, all header "
					+ "lines together) and server.netty.max-initial-line-length (4KB)");
		}
	}

	private static void duration(PortaoYaml yaml, Report report, Directive directive, String nginxDefault,
			String... property) {
		if (directive == null) {
			return;
		}
		Duration value = NginxValues.time(directive.arg());
		if (value == null) {
			report.untranslated(directive, "not an nginx time");
			return;
		}
		String spring = NginxValues.springDuration(value);
		if (!spring.equals(nginxDefault) && !(value.isZero() && property[2].equals("idle-timeout"))) {
			yaml.put(spring, property);
		}
		if (value.isZero()) {
			report.untranslated(directive, "Portão keeps every timeout finite");
		}
	}

	private static void bodySize(PortaoYaml yaml, Report report, Directive directive) {
		if (directive == null) {
			return;
		}
		String size = NginxValues.springSize(directive.arg());
		if (size == null) {
			report.untranslated(directive, "not an nginx size");
		}
		else if (!size.equals("1MB")) {
			yaml.put(size.equals("0B") ? "0" : size, "portao", "limits", "max-body-size");
		}
	}

	private static void accessLog(PortaoYaml yaml, Report report, List<Directive> accessLogs) {
		if (accessLogs.isEmpty()) {
			return;
		}
		Directive first = accessLogs.get(0);
		if (first.arg().equals("off")) {
			yaml.put(false, "portao", "access-log", "enabled");
			return;
		}
		if (accessLogs.size() > 1) {
			report.untranslated(accessLogs.get(1), "Portão writes one access log");
		}
		if (!first.arg().equals("/dev/stdout")) {
			yaml.put(first.arg(), "portao", "access-log", "path");
		}
		for (String parameter : first.args().subList(Math.min(first.args().size(), 2), first.args().size())) {
			String[] pair = parameter.split("=", 2);
			if (pair[0].equals("buffer") && NginxValues.springSize(pair[1]) != null) {
				yaml.put(NginxValues.springSize(pair[1]), "portao", "access-log", "buffer");
			}
			else if (pair[0].equals("flush") && NginxValues.time(pair[1]) != null) {
				yaml.put(NginxValues.springDuration(NginxValues.time(pair[1])), "portao", "access-log", "flush");
			}
			else {
				report.untranslated(first, "access_log parameter \"" + parameter + "\" has no Portão equivalent");
			}
		}
	}

	private static void logFormat(Report report, Directive format) {
		report.note(format, "Portão writes nginx's main format followed by $upstream_addr $upstream_status "
				+ "$upstream_response_time $request_time, whatever format is named");
	}

	static void errorLog(Report report, Directive errorLog) {
		report.note(errorLog, "Portão writes its errors to standard output (logging.file.name to change)");
	}

	/** nginx's realip module: {@code set_real_ip_from} addresses are trusted to name the client. */
	private static void realIp(PortaoYaml yaml, Report report, Scope scope) {
		List<Directive> from = scope.all("set_real_ip_from");
		if (from.isEmpty()) {
			return;
		}
		Directive header = scope.last("real_ip_header");
		if (header == null || !header.arg().equalsIgnoreCase("X-Forwarded-For")) {
			report.untranslated((header != null) ? header : from.get(0),
					"Portão takes the client address from X-Forwarded-For only");
			return;
		}
		Directive recursive = scope.last("real_ip_recursive");
		if (recursive == null || !recursive.arg().equals("on")) {
			report.note(from.get(0), "Portão walks X-Forwarded-For past every trusted proxy (real_ip_recursive on)");
		}
		yaml.put(from.stream().map(Directive::arg).map(Globals::cidr).toList(), "portao", "trusted-proxies");
	}

	private static String cidr(String address) {
		if (address.contains("/")) {
			return address;
		}
		return address + (address.contains(":") ? "/128" : "/32");
	}

}
