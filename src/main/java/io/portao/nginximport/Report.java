package io.portao.nginximport;

import java.util.ArrayList;
import java.util.List;

/**
 * What the import could not translate ({@code warning}: the translation is incomplete) and what it translated with
 * a difference worth knowing ({@code note}), each naming the file and line of the nginx directive.
 */
final class Report {

	private final List<String> lines = new ArrayList<>();

	private int warnings;

	/** {@code directive} has no Portão equivalent here: the YAML does not do what nginx did. */
	void untranslated(Directive directive, String why) {
		this.warnings++;
		this.lines.add(directive.where() + ": warning: \"" + directive.text() + "\" not translated: " + why);
	}

	/** {@code directive} was translated; {@code what} says how Portão's behaviour differs in a detail. */
	void note(Directive directive, String what) {
		this.lines.add(directive.where() + ": note: \"" + directive.text() + "\": " + what);
	}

	/** Whether everything was translated (notes allowed, no warning). */
	boolean complete() {
		return this.warnings == 0;
	}

	int warnings() {
		return this.warnings;
	}

	List<String> lines() {
		return List.copyOf(this.lines);
	}

}
