package io.portao.nginximport;

import java.util.ArrayList;
import java.util.List;

/**
 * One nginx {@code server} block: where it listens, the names it answers to, and its directives.
 *
 * @param block the {@code server} directive
 * @param scope its directives, inheriting the {@code http} level's
 * @param listens its {@code listen}s ({@code *:80} if none)
 * @param names its {@code server_name}s
 */
record VirtualServer(Directive block, Scope scope, List<Listen> listens, List<String> names) {

	private static final List<String> REDIRECTS = List.of("301", "302", "303", "307", "308");

	static VirtualServer of(Directive block, Scope http, Report report) {
		Scope scope = Scope.of(http, block.block());
		Directive sslOn = scope.last("ssl");
		boolean ssl = sslOn != null && sslOn.arg().equals("on");
		List<Listen> listens = new ArrayList<>();
		for (Directive listen : scope.all("listen")) {
			Listen parsed = Listen.parse(listen, ssl);
			if (parsed == null) {
				report.untranslated(listen, "Portão listens on TCP ports only");
			}
			else if (listens.stream().noneMatch(l -> l.port() == parsed.port())) {
				listens.add(parsed);
			}
		}
		if (listens.isEmpty()) {
			listens.add(Listen.DEFAULT);
		}
		List<String> names = new ArrayList<>();
		scope.all("server_name").forEach(directive -> names.addAll(directive.args()));
		return new VirtualServer(block, scope, listens, names);
	}

	Listen listen(int port) {
		return this.listens.stream().filter(listen -> listen.port() == port).findFirst().orElse(null);
	}

	/**
	 * The {@code https://} URL this server redirects every request to ({@code return 301 https://$host$request_uri}
	 * at server level, or as the only content of {@code location /}), or null if it serves anything else.
	 */
	Directive httpsRedirect() {
		Directive serverReturn = isRedirectToHttps(this.scope.last("return"));
		if (serverReturn != null) {
			return serverReturn;
		}
		List<Directive> locations = this.scope.blocks("location");
		if (locations.size() != 1 || !locations.get(0).args().equals(List.of("/"))) {
			return null;
		}
		List<Directive> content = locations.get(0).block();
		return (content.size() == 1) ? isRedirectToHttps(content.get(0)) : null;
	}

	private static Directive isRedirectToHttps(Directive directive) {
		if (directive == null || !directive.name().equals("return") || directive.args().size() != 2) {
			return null;
		}
		boolean redirect = REDIRECTS.contains(directive.arg());
		return (redirect && directive.args().get(1).startsWith("https://")) ? directive : null;
	}

	String label() {
		return this.names.stream().filter(name -> !name.isEmpty() && !name.equals("_")).findFirst()
			.orElse("server@" + this.block.where());
	}

}
