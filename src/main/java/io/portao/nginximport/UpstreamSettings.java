package io.portao.nginximport;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings nginx gives per {@code location} ({@code proxy_next_upstream}, {@code proxy_*_timeout}) and Portão per
 * upstream ({@code portao.upstreams.<name>.*}): each upstream takes the value of the locations that proxy to it.
 * A setting every upstream takes from the same directive (typically one at {@code http} level, as in the reference
 * {@code bapi.conf}) becomes the default for all, {@code portao.upstream.*}.
 */
final class UpstreamSettings {

	private record Setting(Object value, Directive source) {
	}

	private final Map<String, Map<String, Setting>> byUpstream = new LinkedHashMap<>();

	private final Report report;

	UpstreamSettings(Report report) {
		this.report = report;
	}

	/** Registers that {@code upstream} is proxied to, even with no setting. */
	void use(String upstream) {
		this.byUpstream.computeIfAbsent(upstream, name -> new LinkedHashMap<>());
	}

	void put(String upstream, String property, Object value, Directive source) {
		Map<String, Setting> settings = this.byUpstream.computeIfAbsent(upstream, name -> new LinkedHashMap<>());
		Setting previous = settings.putIfAbsent(property, new Setting(value, source));
		if (previous != null && !previous.value().equals(value)) {
			this.report.untranslated(source, "another location proxying to upstream " + upstream + " sets "
					+ previous.value() + " (" + previous.source().where() + "); Portão sets portao.upstreams." + upstream
					+ "." + property + " once per upstream");
		}
	}

	void write(PortaoYaml yaml) {
		Map<String, Setting> shared = new LinkedHashMap<>();
		this.byUpstream.values().forEach(settings -> settings.forEach(shared::putIfAbsent));
		shared.entrySet().removeIf(entry -> !this.byUpstream.values().stream()
			.allMatch(settings -> sameSource(settings.get(entry.getKey()), entry.getValue())));
		shared.forEach((property, setting) -> yaml.put(setting.value(), "portao", "upstream", property));
		this.byUpstream.forEach((upstream, settings) -> settings.forEach((property, setting) -> {
			if (!shared.containsKey(property)) {
				yaml.put(setting.value(), "portao", "upstreams", upstream, property);
			}
		}));
	}

	private static boolean sameSource(Setting a, Setting b) {
		return a != null && a.source() == b.source();
	}

}
