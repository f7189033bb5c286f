package io.portao.nginximport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The directives in effect at one level ({@code http}, {@code server}, {@code location}), with nginx's inheritance:
 * a level inherits a directive from the enclosing one only if it does not set that directive itself. For array
 * directives such as {@code proxy_set_header} and {@code add_header} that is nginx's documented rule too: one
 * {@code proxy_set_header} in a location drops all those of its server.
 */
final class Scope {

	private final Scope parent;

	private final Map<String, List<Directive>> own = new LinkedHashMap<>();

	private final List<Directive> blocks = new ArrayList<>();

	private Scope(Scope parent) {
		this.parent = parent;
	}

	static Scope of(Scope parent, List<Directive> directives) {
		Scope scope = new Scope(parent);
		for (Directive directive : directives) {
			if (directive.isBlock()) {
				scope.blocks.add(directive);
			}
			else {
				scope.own.computeIfAbsent(directive.name(), name -> new ArrayList<>()).add(directive);
			}
		}
		return scope;
	}

	/** Every directive {@code name} in effect here (own, else inherited). */
	List<Directive> all(String name) {
		List<Directive> mine = this.own.get(name);
		if (mine != null) {
			return mine;
		}
		return (this.parent != null) ? this.parent.all(name) : List.of();
	}

	/** The directive {@code name} in effect here (the last one written), or null. */
	Directive last(String name) {
		List<Directive> all = all(name);
		return all.isEmpty() ? null : all.get(all.size() - 1);
	}

	/** The directives written at this level, not inherited, simple ones only. */
	List<Directive> own() {
		return this.own.values().stream().flatMap(List::stream)
			.sorted(java.util.Comparator.comparingInt(Directive::line))
			.toList();
	}

	/** The block directives written at this level ({@code server}, {@code location}, {@code if}, …). */
	List<Directive> blocks(String name) {
		return this.blocks.stream().filter(block -> block.name().equals(name)).toList();
	}

	List<Directive> blocks() {
		return List.copyOf(this.blocks);
	}

}
