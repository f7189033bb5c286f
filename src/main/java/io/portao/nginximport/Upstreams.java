package io.portao.nginximport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * nginx {@code upstream} blocks: each {@code server} becomes an instance of Spring Cloud's static discovery list
 * ({@code spring.cloud.discovery.client.simple.instances.<name>}, the list {@code lb://<name>} balances over),
 * {@code weight}, {@code backup} and {@code down} its metadata, the balancing directive the upstream's
 * {@code portao.upstreams.<name>.policy}, and {@code max_fails}/{@code fail_timeout} the upstream's properties when
 * every server agrees, each server's metadata otherwise.
 */
final class Upstreams {

	private static final String[] INSTANCES = { "spring", "cloud", "discovery", "client", "simple", "instances" };

	private final Map<String, Directive> blocks = new LinkedHashMap<>();

	private final Report report;

	private final Map<String, Integer> maxConns = new LinkedHashMap<>();

	Upstreams(List<Directive> upstreamBlocks, Report report) {
		this.report = report;
		for (Directive block : upstreamBlocks) {
			block.requireArgs(1);
			if (this.blocks.putIfAbsent(block.arg(), block) != null) {
				throw new ConfigSyntaxException(block.file(), block.line(), "duplicate upstream \"" + block.arg() + "\"");
			}
		}
	}

	boolean contains(String name) {
		return this.blocks.containsKey(name);
	}

	/** Writes every upstream; {@code schemes} says which ones {@code proxy_pass} reaches over https. */
	void translate(PortaoYaml yaml, Map<String, String> schemes) {
		for (Directive block : this.blocks.values()) {
			translate(yaml, block, schemes.getOrDefault(block.arg(), "http"));
		}
		if (!this.maxConns.isEmpty()) {
			maxConnections(yaml);
		}
	}

	private void translate(PortaoYaml yaml, Directive block, String scheme) {
		String name = block.arg();
		List<Object> instances = new ArrayList<>();
		List<String> maxFails = new ArrayList<>();
		List<Duration> failTimeouts = new ArrayList<>();
		for (Directive directive : block.block()) {
			switch (directive.name()) {
				case "server" -> {
					Map<String, Object> instance = instance(directive, scheme, maxFails, failTimeouts);
					if (instance != null) {
						instances.add(instance);
					}
				}
				case "least_conn" -> policy(yaml, name, "least-connections");
				case "random" -> random(yaml, directive, name);
				case "least_time" -> policy(yaml, name, "least-time");
				case "ip_hash", "hash", "sticky" -> this.report.untranslated(directive,
						"Portão has no sticky (hash-based) balancing; the upstream is balanced round robin");
				case "keepalive", "zone", "keepalive_timeout", "keepalive_requests", "keepalive_time" -> {
					// Connections to instances are pooled and kept alive by default (Reactor Netty's pool).
				}
				default -> this.report.untranslated(directive, "no Portão equivalent in an upstream block");
			}
		}
		List<String> timeouts = failTimeouts.stream().map(NginxValues::springDuration).toList();
		String upstreamMaxFails = failureSettings(instances, "max-fails", maxFails, "1");
		String upstreamFailTimeout = failureSettings(instances, "fail-timeout", timeouts, "10s");
		yaml.put(instances, append(INSTANCES, name));
		if (upstreamMaxFails != null) {
			yaml.put(numberOrText(upstreamMaxFails), "portao", "upstreams", name, "max-fails");
		}
		if (upstreamFailTimeout != null) {
			yaml.put(upstreamFailTimeout, "portao", "upstreams", name, "fail-timeout");
		}
	}

	/**
	 * nginx sets {@code max_fails} and {@code fail_timeout} on each {@code server} line. When every server has the
	 * same value it is returned, for the upstream's {@code portao.upstreams.<name>.<property>} (null when it is
	 * nginx's default, which is also Portão's); otherwise each server that differs from that default gets it as
	 * instance metadata.
	 */
	@SuppressWarnings("unchecked")
	private static String failureSettings(List<Object> instances, String property, List<String> values,
			String nginxDefault) {
		List<String> distinct = values.stream().distinct().toList();
		if (distinct.size() <= 1) {
			return (distinct.isEmpty() || distinct.get(0).equals(nginxDefault)) ? null : distinct.get(0);
		}
		for (int i = 0; i < instances.size(); i++) {
			if (!values.get(i).equals(nginxDefault)) {
				Map<String, Object> instance = (Map<String, Object>) instances.get(i);
				((Map<String, Object>) instance.computeIfAbsent("metadata", key -> new LinkedHashMap<>()))
					.put(property, values.get(i));
			}
		}
		return null;
	}

	private static void policy(PortaoYaml yaml, String upstream, String policy) {
		yaml.put(policy, "portao", "upstreams", upstream, "policy");
	}

	private void random(PortaoYaml yaml, Directive directive, String upstream) {
		if (directive.args().isEmpty() || !directive.arg().equals("two")) {
			this.report.untranslated(directive, "Portão's random policy always picks the better of two "
					+ "(random-two-choices); plain random is not available, the upstream is balanced round robin");
			return;
		}
		policy(yaml, upstream, "random-two-choices");
		if (directive.args().size() > 1 && !directive.args().get(1).equals("least_conn")) {
			this.report.note(directive, "the better of two is the one with fewer requests in flight (least_conn)");
		}
	}

	private Map<String, Object> instance(Directive server, String scheme, List<String> maxFails,
			List<Duration> failTimeouts) {
		String address = server.requireArgs(1).arg();
		if (address.startsWith("unix:")) {
			this.report.untranslated(server, "Portão connects to instances over TCP only");
			return null;
		}
		Map<String, Object> instance = new LinkedHashMap<>();
		instance.put("uri", scheme + "://" + (address.matches(".*:\\d+") ? address
				: address + (scheme.equals("https") ? ":443" : ":80")));
		Map<String, Object> metadata = new LinkedHashMap<>();
		String failTimeout = "10s";
		String fails = "1";
		for (String parameter : server.args().subList(1, server.args().size())) {
			String[] pair = parameter.split("=", 2);
			if (pair.length == 1 && !pair[0].equals("backup") && !pair[0].equals("down") && !pair[0].equals("resolve")) {
				throw new ConfigSyntaxException(server.file(), server.line(), "invalid parameter \"" + parameter + "\"");
			}
			switch (pair[0]) {
				case "weight" -> metadata.put("weight", String.valueOf(server.number(pair[1])));
				case "backup" -> metadata.put("backup", "true");
				case "down" -> metadata.put("down", "true");
				case "max_fails" -> fails = String.valueOf(server.number(pair[1]));
				case "fail_timeout" -> failTimeout = pair[1];
				case "max_conns" -> this.maxConns.put(server.where(), server.number(pair[1]));
				default -> this.report.untranslated(server, "server parameter \"" + parameter + "\" has no Portão equivalent");
			}
		}
		Duration timeout = NginxValues.time(failTimeout);
		if (timeout == null) {
			throw new ConfigSyntaxException(server.file(), server.line(), "invalid fail_timeout \"" + failTimeout + "\"");
		}
		maxFails.add(fails);
		failTimeouts.add(timeout);
		if (!metadata.isEmpty()) {
			instance.put("metadata", metadata);
		}
		return instance;
	}

	/** nginx {@code max_conns} per server; Portão has one limit for every instance. */
	private void maxConnections(PortaoYaml yaml) {
		List<Integer> values = this.maxConns.values().stream().distinct().toList();
		int servers = (int) this.blocks.values().stream().flatMap(b -> b.block().stream())
			.filter(d -> d.name().equals("server")).count();
		if (values.size() == 1 && this.maxConns.size() == servers) {
			yaml.put(values.get(0), "portao", "limits", "max-connections-per-instance");
			return;
		}
		Directive first = this.blocks.values().iterator().next();
		this.report.untranslated(first, "max_conns is " + this.maxConns + " and unlimited on other servers; Portão has one "
				+ "portao.limits.max-connections-per-instance for all instances");
	}

	private static Object numberOrText(String value) {
		return value.matches("\\d+") ? Integer.valueOf(value) : value;
	}

	static String[] append(String[] path, String... more) {
		String[] all = java.util.Arrays.copyOf(path, path.length + more.length);
		System.arraycopy(more, 0, all, path.length, more.length);
		return all;
	}

}
