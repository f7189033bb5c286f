package io.portao.nginximport;

/**
 * One nginx {@code location}, with its kind, path and directives in effect.
 *
 * @param block the {@code location} directive
 * @param kind how it matches
 * @param path its prefix, exact path or regular expression
 * @param scope its directives, inheriting the server's
 */
record Location(Directive block, Kind kind, String path, Scope scope) {

	/** nginx's location modifiers, in the order nginx consults them. */
	enum Kind {

		/** {@code location = /x}: only that path, checked first. */
		EXACT,

		/** {@code location ^~ /x/}: a prefix that, when it is the longest match, stops the regex search. */
		PREFIX_NO_REGEX,

		/** {@code location ~ re} / {@code ~* re}: regular expressions, in order, ahead of plain prefixes. */
		REGEX,

		/** {@code location /x/}: the longest matching prefix, unless a regex matches. */
		PREFIX,

		/** {@code location @name}: only reached by internal redirects. */
		NAMED

	}

	static Location of(Directive block, Scope parent) {
		Scope scope = Scope.of(parent, block.block());
		String first = block.arg();
		if (block.args().size() == 2) {
			String path = block.args().get(1);
			return switch (first) {
				case "=" -> new Location(block, Kind.EXACT, path, scope);
				case "^~" -> new Location(block, Kind.PREFIX_NO_REGEX, path, scope);
				case "~" -> new Location(block, Kind.REGEX, path, scope);
				case "~*" -> new Location(block, Kind.REGEX, "(?i)" + path, scope);
				default -> throw new ConfigSyntaxException(block.file(), block.line(), "invalid location modifier \"" + first + "\"");
			};
		}
		if (block.args().size() != 1) {
			throw new ConfigSyntaxException(block.file(), block.line(), "invalid number of arguments in \"location\"");
		}
		if (first.isEmpty() || first.equals("~") || first.equals("~*") || first.equals("=") || first.equals("^~")) {
			throw new ConfigSyntaxException(block.file(), block.line(), "invalid location \"" + block.text() + "\"");
		}
		if (first.startsWith("@")) {
			return new Location(block, Kind.NAMED, first, scope);
		}
		if (first.startsWith("=")) {
			return new Location(block, Kind.EXACT, first.substring(1), scope);
		}
		if (first.startsWith("~*")) {
			return new Location(block, Kind.REGEX, "(?i)" + first.substring(2), scope);
		}
		if (first.startsWith("~")) {
			return new Location(block, Kind.REGEX, first.substring(1), scope);
		}
		return new Location(block, Kind.PREFIX, first, scope);
	}

	boolean isPrefix() {
		return this.kind == Kind.PREFIX || this.kind == Kind.PREFIX_NO_REGEX;
	}

	/** The location as written, for comments: {@code location ^~ /static/}. */
	String text() {
		return this.block.text();
	}

}
