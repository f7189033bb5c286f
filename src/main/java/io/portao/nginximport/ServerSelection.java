package io.portao.nginximport;

import java.util.ArrayList;
import java.util.List;

/**
 * nginx {@code server} blocks onto Portão's one public port: the port (a TLS one if any server has TLS), its
 * certificate as a Boot SSL bundle, a plain-HTTP server that only redirects to HTTPS as
 * {@code portao.tls.redirect-port}, and, when several servers share the port, their {@code server_name}s as
 * {@code Host} predicates with the default server's routes last (nginx picks the default server for any other
 * host). Servers on other ports are reported: Portão serves one.
 */
record ServerSelection(PortaoYaml yaml, Report report, Routes routes) {

	private static final String BUNDLE = "web";

	void translate(List<VirtualServer> servers) {
		List<VirtualServer> redirectors = servers.stream()
			.filter(s -> s.httpsRedirect() != null && s.listens().stream().noneMatch(Listen::ssl)).toList();
		List<VirtualServer> candidates = servers.stream().filter(s -> !redirectors.contains(s)).toList();
		if (candidates.isEmpty()) {
			candidates = servers;
		}
		int port = primaryPort(candidates);
		List<VirtualServer> served = new ArrayList<>();
		for (VirtualServer server : candidates) {
			if (server.listen(port) != null) {
				served.add(server);
			}
			else {
				this.report.untranslated(server.block(), "listens on port " + server.listens().get(0).port()
						+ "; Portão serves one port, " + port + " (server.port)");
			}
		}
		this.yaml.put(port, "server", "port");
		address(served, port);
		boolean tls = served.stream().anyMatch(s -> s.listen(port).ssl());
		if (tls) {
			tls(served.stream().filter(s -> s.listen(port).ssl()).findFirst().orElseThrow());
		}
		redirects(redirectors, port, tls);
		VirtualServer defaultServer = served.stream().filter(s -> s.listen(port).defaultServer()).findFirst()
			.orElse(served.get(0));
		this.routes.served(tls ? "https" : "http", port);
		for (VirtualServer server : served) {
			Mapping.reportUnknown(this.report, server.scope().own());
			otherPorts(server, port);
			if (server != defaultServer) {
				this.routes.add(server, server.names());
			}
		}
		if (served.size() > 1) {
			this.yaml.put(false, "spring", "cloud", "gateway", "server", "webflux", "predicate", "host", "include-port");
		}
		this.routes.add(defaultServer, null);
		for (VirtualServer server : served) {
			Directive serverReturn = server.scope().last("return");
			if (serverReturn != null && server.scope().own().contains(serverReturn)) {
				this.report.untranslated(serverReturn, "a server-level return is translated only as an HTTP to HTTPS "
						+ "redirect; this server's requests are routed by its locations");
			}
		}
	}

	/** {@code listen 80; listen 443 ssl;} in one server: nginx serves both, Portão the TLS port only. */
	private void otherPorts(VirtualServer server, int port) {
		for (Directive listen : server.scope().all("listen")) {
			Listen parsed = Listen.parse(listen, false);
			if (parsed != null && parsed.port() != port) {
				this.report.untranslated(listen, "Portão serves this server on port " + port + " only "
						+ "(portao.tls.redirect-port can redirect a plain-HTTP port to it)");
			}
		}
	}

	private static int primaryPort(List<VirtualServer> candidates) {
		return candidates.stream().flatMap(s -> s.listens().stream()).filter(Listen::ssl).findFirst()
			.orElse(candidates.get(0).listens().get(0)).port();
	}

	private void address(List<VirtualServer> served, int port) {
		List<String> addresses = served.stream().map(s -> s.listen(port).address()).distinct().toList();
		if (addresses.size() == 1 && addresses.get(0) != null) {
			this.yaml.put(addresses.get(0), "server", "address");
		}
	}

	private void tls(VirtualServer server) {
		Directive certificate = server.scope().last("ssl_certificate");
		Directive key = server.scope().last("ssl_certificate_key");
		if (certificate == null || key == null) {
			this.report.untranslated(server.block(), "a TLS port needs ssl_certificate and ssl_certificate_key");
			return;
		}
		if (server.scope().all("ssl_certificate").size() > 1) {
			this.report.untranslated(server.scope().all("ssl_certificate").get(0),
					"Portão serves one certificate per bundle; the last one is used");
		}
		this.yaml.put(BUNDLE, "server", "ssl", "bundle");
		String[] bundle = { "spring", "ssl", "bundle", "pem", BUNDLE };
		this.yaml.put(true, Upstreams.append(bundle, "reload-on-update"));
		this.yaml.put("file:" + certificate.arg(), Upstreams.append(bundle, "keystore", "certificate"));
		this.yaml.put("file:" + key.arg(), Upstreams.append(bundle, "keystore", "private-key"));
		this.yaml.put(true, Upstreams.append(bundle, "keystore", "verify-keys"));
		protocols(server.scope().last("ssl_protocols"));
		clientCertificates(server, bundle);
	}

	private void protocols(Directive protocols) {
		if (protocols == null) {
			return;
		}
		List<String> modern = protocols.args().stream().filter(p -> p.equals("TLSv1.2") || p.equals("TLSv1.3")).toList();
		if (modern.size() < protocols.args().size()) {
			this.report.note(protocols, "only " + modern + " kept: the JDK disables older protocols");
		}
		if (!modern.isEmpty()) {
			this.yaml.put(modern, "server", "ssl", "enabled-protocols");
		}
	}

	/** nginx {@code ssl_verify_client} with {@code ssl_client_certificate}: Boot's client-auth and truststore. */
	private void clientCertificates(VirtualServer server, String[] bundle) {
		Directive verify = server.scope().last("ssl_verify_client");
		Directive authorities = server.scope().last("ssl_client_certificate");
		if (verify == null || verify.arg().equals("off")) {
			return;
		}
		if (authorities == null || !(verify.arg().equals("on") || verify.arg().equals("optional"))) {
			this.report.untranslated(verify, "needs ssl_client_certificate, and on or optional");
			return;
		}
		this.yaml.put(verify.arg().equals("on") ? "need" : "want", "server", "ssl", "client-auth");
		this.yaml.put("file:" + authorities.arg(), Upstreams.append(bundle, "truststore", "certificate"));
	}

	private void redirects(List<VirtualServer> redirectors, int port, boolean tls) {
		boolean done = false;
		for (VirtualServer server : redirectors) {
			Directive redirect = server.httpsRedirect();
			int from = server.listens().get(0).port();
			if (!tls || done || from == port) {
				this.report.untranslated(redirect, "Portão redirects one plain-HTTP port to its TLS port only");
				continue;
			}
			this.yaml.put(from, "portao", "tls", "redirect-port");
			done = true;
			this.report.note(redirect, "answered with 308 (method kept) to https://<host>:" + port + "<request target>");
		}
	}

}
