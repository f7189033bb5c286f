package io.portao.nginximport;

import java.util.ArrayList;
import java.util.Comparator;
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
		String line = directive.where() + ": warning: \"" + directive.text() + "\" not translated: " + why;
		if (!this.lines.contains(line)) {
			this.warnings++;
		}
		this.lines.add(line);
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

	/** The lines in file and line order, each once. */
	List<String> lines() {
		return this.lines.stream().distinct().sorted(Comparator.comparing(Report::file).thenComparingInt(Report::line))
			.toList();
	}

	private static String file(String reportLine) {
		return reportLine.substring(0, reportLine.indexOf(':'));
	}

	private static int line(String reportLine) {
		int colon = reportLine.indexOf(':');
		return Integer.parseInt(reportLine.substring(colon + 1, reportLine.indexOf(':', colon + 1)));
	}

}
