package io.portao.nginximport;

import java.nio.file.Path;
import java.util.List;

/**
 * One nginx directive as nginx's own parser ({@code ngx_conf_file.c}) sees it: a name, its arguments with quotes and
 * escapes resolved, and the directives of its block ({@code null} for a simple directive ending in {@code ;}).
 *
 * @param name the directive's name, e.g. {@code proxy_pass}
 * @param args its arguments
 * @param block the directives inside its {@code { }} block, or {@code null}
 * @param file the file it was read from (after {@code include}s)
 * @param line its line in that file
 */
record Directive(String name, List<String> args, List<Directive> block, Path file, int line) {

	Directive {
		args = List.copyOf(args);
		block = (block != null) ? List.copyOf(block) : null;
	}

	/** {@code file:line}, as nginx names a directive in its messages. */
	String where() {
		return this.file.getFileName() + ":" + this.line;
	}

	/** The first argument, or the empty string. */
	String arg() {
		return this.args.isEmpty() ? "" : this.args.get(0);
	}

	/** The directive as it was written, without its block: {@code proxy_pass http://bapis}. */
	String text() {
		return this.args.isEmpty() ? this.name : this.name + " " + String.join(" ", this.args);
	}

	/** nginx's own refusal of a directive with fewer than {@code min} arguments. */
	Directive requireArgs(int min) {
		if (this.args.size() < min) {
			throw new ConfigSyntaxException(this.file, this.line, "invalid number of arguments in \"" + this.name + "\"");
		}
		return this;
	}

	/** {@code value} as a number, or nginx's refusal naming it. */
	int number(String value) {
		try {
			return Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw new ConfigSyntaxException(this.file, this.line, "invalid number \"" + value + "\" in \"" + this.name + "\"");
		}
	}

	boolean isBlock() {
		return this.block != null;
	}

}
