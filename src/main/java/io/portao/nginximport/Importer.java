package io.portao.nginximport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns nginx configuration files into Portão's {@code application.yml}: reads them ({@link ConfigParser}), picks the
 * {@code http} context (a file without one, such as {@code conf.d/bapi.conf}, is an {@code http} context itself, as
 * nginx's {@code include conf.d/*.conf} reads it), then translates upstreams, servers and locations.
 */
final class Importer {

	/** Main-context directives and blocks that concern nginx's process, not the traffic. */
	private static final Set<String> MAIN_BLOCKS = Set.of("events");

	private final Report report = new Report();

	private final PortaoYaml yaml = new PortaoYaml();

	/** The YAML and what could not be translated. */
	record Result(String yaml, Report report) {
	}

	Result translate(List<Path> files) throws IOException {
		ConfigParser parser = new ConfigParser(files.get(0).toAbsolutePath().getParent(), this.report);
		List<Directive> top = new ArrayList<>();
		for (Path file : files) {
			top.addAll(parser.parse(file));
		}
		Scope http = Scope.of(null, httpContext(top));
		Upstreams upstreams = new Upstreams(http.blocks("upstream"), this.report);
		List<VirtualServer> servers = http.blocks("server").stream()
			.map(block -> VirtualServer.of(block, http, this.report)).toList();
		for (Directive block : http.blocks()) {
			if (!block.name().equals("server") && !block.name().equals("upstream") && !isConnectionUpgradeMap(block)) {
				this.report.untranslated(block, "no Portão equivalent for a \"" + block.name() + "\" block");
			}
		}
		Routes routes = new Routes(this.yaml, this.report, upstreams);
		if (servers.isEmpty()) {
			throw new ConfigSyntaxException(files.get(0), 1, "no \"server\" block: nothing to translate");
		}
		new ServerSelection(this.yaml, this.report, routes).translate(servers);
		Globals.translate(this.yaml, this.report, http, servers);
		upstreams.translate(this.yaml, routes.schemes());
		routes.write();
		return new Result(header(files) + this.yaml.render(), this.report);
	}

	/**
	 * nginx's WebSocket idiom, {@code map $http_upgrade $connection_upgrade { default upgrade; '' close; }} for
	 * {@code proxy_set_header Connection $connection_upgrade}: Portão proxies upgrades by default.
	 */
	private static boolean isConnectionUpgradeMap(Directive block) {
		return block.name().equals("map") && block.args().size() == 2 && block.arg().equals("$http_upgrade");
	}

	/** The {@code http} block's directives, or the files' own when they are an {@code http} context already. */
	private List<Directive> httpContext(List<Directive> top) {
		List<Directive> httpBlocks = top.stream().filter(d -> d.name().equals("http") && d.isBlock()).toList();
		if (httpBlocks.isEmpty()) {
			return top;
		}
		for (Directive directive : top) {
			if (directive.name().equals("http") || MAIN_BLOCKS.contains(directive.name())
					|| Mapping.IMPLIED.contains(directive.name())) {
				continue;
			}
			if (directive.name().equals("error_log")) {
				Globals.errorLog(this.report, directive);
			}
			else if (directive.isBlock()) {
				this.report.untranslated(directive, "Portão proxies HTTP only; a \"" + directive.name()
						+ "\" block is not translated");
			}
			else {
				this.report.untranslated(directive, "no Portão equivalent");
			}
		}
		List<Directive> http = new ArrayList<>();
		httpBlocks.forEach(block -> http.addAll(block.block()));
		return http;
	}

	private static String header(List<Path> files) {
		Set<String> names = new LinkedHashSet<>();
		files.forEach(file -> names.add(file.getFileName().toString()));
		return "# Portão configuration imported from nginx's " + String.join(", ", names)
				+ " by 'java -jar portao.jar import-nginx'.\n"
				+ "# Start with: java -jar portao.jar --spring.config.additional-location=file:<this file>\n";
	}

}
