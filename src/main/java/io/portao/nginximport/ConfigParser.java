package io.portao.nginximport;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads an nginx configuration as nginx does ({@code ngx_conf_read_token} in {@code src/core/ngx_conf_file.c}):
 * tokens split on whitespace, {@code ;}, <code>{</code> and <code>}</code>; {@code #} starts a comment only at the
 * start of a token; single and double quotes group a token, with {@code \"}, {@code \'}, {@code \\}, {@code \t},
 * {@code \r}, {@code \n} resolved inside them; <code>${name}</code> does not open a block. {@code include} is
 * expanded in place, with globs (matched files in name order, none is fine, as nginx does) and relative paths
 * resolved against the directory of the first file named (nginx's configuration prefix).
 *
 * <p>Written by hand because no Java library parses nginx's format; the grammar is nginx's, not a guess.
 */
final class ConfigParser {

	private static final int MAX_INCLUDE_DEPTH = 16;

	private final Path prefix;

	private final Report report;

	ConfigParser(Path prefix, Report report) {
		this.prefix = prefix;
		this.report = report;
	}

	/** The directives of {@code file}, includes expanded. */
	List<Directive> parse(Path file) throws IOException {
		return parse(file, 0);
	}

	private List<Directive> parse(Path file, int depth) throws IOException {
		if (depth > MAX_INCLUDE_DEPTH) {
			throw new ConfigSyntaxException(file, 1, "includes nested deeper than " + MAX_INCLUDE_DEPTH);
		}
		Tokens tokens = new Tokens(file, Files.readString(file));
		List<Directive> directives = block(tokens, depth, false);
		return directives;
	}

	private List<Directive> block(Tokens tokens, int depth, boolean inBlock) throws IOException {
		List<Directive> directives = new ArrayList<>();
		List<String> words = new ArrayList<>();
		int line = 0;
		for (Token token = tokens.next(); ; token = tokens.next()) {
			if (token == null) {
				if (inBlock) {
					throw new ConfigSyntaxException(tokens.file, tokens.line, "unexpected end of file, expecting \"}\"");
				}
				if (!words.isEmpty()) {
					throw new ConfigSyntaxException(tokens.file, line, "unexpected end of file, expecting \";\" or \"}\"");
				}
				return directives;
			}
			if (token.special() == '}') {
				if (!words.isEmpty()) {
					throw new ConfigSyntaxException(tokens.file, token.line(), "unexpected \"}\"");
				}
				if (!inBlock) {
					throw new ConfigSyntaxException(tokens.file, token.line(), "unexpected \"}\"");
				}
				return directives;
			}
			if (token.special() == ';' || token.special() == '{') {
				if (words.isEmpty()) {
					throw new ConfigSyntaxException(tokens.file, token.line(), "unexpected \"" + token.special() + "\"");
				}
				String name = words.get(0);
				List<String> args = words.subList(1, words.size());
				if (token.special() == '{') {
					directives.add(new Directive(name, args, block(tokens, depth, true), tokens.file, line));
				}
				else if (name.equals("include")) {
					directives.addAll(include(new Directive(name, args, null, tokens.file, line), depth));
				}
				else {
					directives.add(new Directive(name, args, null, tokens.file, line));
				}
				words = new ArrayList<>();
				continue;
			}
			if (words.isEmpty()) {
				line = token.line();
			}
			words.add(token.text());
		}
	}

	private List<Directive> include(Directive include, int depth) throws IOException {
		if (include.args().size() != 1) {
			throw new ConfigSyntaxException(include.file(), include.line(), "invalid number of arguments in \"include\"");
		}
		String name = include.arg();
		Path path = this.prefix.resolve(name);
		if (Mapping.isMimeTypes(name)) {
			// nginx's mime.types table is built into Portão (staticfiles.NginxMimeTypes).
			return List.of();
		}
		List<Path> files = new ArrayList<>();
		if (name.matches(".*[*?\\[].*")) {
			Path dir = path.getParent();
			if (dir != null && Files.isDirectory(dir)) {
				try (DirectoryStream<Path> matches = Files.newDirectoryStream(dir, path.getFileName().toString())) {
					TreeSet<Path> sorted = new TreeSet<>();
					matches.forEach(sorted::add);
					files.addAll(sorted);
				}
			}
		}
		else if (Files.isReadable(path)) {
			files.add(path);
		}
		else {
			this.report.untranslated(include, "no readable file " + name + " (relative paths are read from "
					+ "the first file's directory, nginx's prefix)");
			return List.of();
		}
		List<Directive> directives = new ArrayList<>();
		for (Path file : files) {
			directives.addAll(parse(file, depth + 1));
		}
		return directives;
	}

	/** A word or one of {@code ; { }}, with the line it starts on. */
	private record Token(String text, char special, int line) {
	}

	/** The tokenizer: nginx's {@code ngx_conf_read_token} rules. */
	private static final class Tokens {

		private final Path file;

		private final String text;

		private int pos;

		private int line = 1;

		Tokens(Path file, String text) {
			this.file = file;
			this.text = text;
		}

		Token next() {
			skipSpaceAndComments();
			if (this.pos >= this.text.length()) {
				return null;
			}
			char c = this.text.charAt(this.pos);
			if (c == ';' || c == '{' || c == '}') {
				this.pos++;
				return new Token(String.valueOf(c), c, this.line);
			}
			int start = this.line;
			if (c == '"' || c == '\'') {
				return new Token(quoted(c), (char) 0, start);
			}
			return new Token(bare(), (char) 0, start);
		}

		private void skipSpaceAndComments() {
			while (this.pos < this.text.length()) {
				char c = this.text.charAt(this.pos);
				if (c == '#') {
					while (this.pos < this.text.length() && this.text.charAt(this.pos) != '\n') {
						this.pos++;
					}
				}
				else if (Character.isWhitespace(c)) {
					if (c == '\n') {
						this.line++;
					}
					this.pos++;
				}
				else {
					return;
				}
			}
		}

		private String quoted(char quote) {
			int startLine = this.line;
			StringBuilder out = new StringBuilder();
			this.pos++;
			while (this.pos < this.text.length()) {
				char c = this.text.charAt(this.pos++);
				if (c == '\n') {
					this.line++;
				}
				if (c == '\\' && this.pos < this.text.length()) {
					out.append(unescape(this.text.charAt(this.pos++)));
				}
				else if (c == quote) {
					expectSeparator();
					return out.toString();
				}
				else {
					out.append(c);
				}
			}
			throw new ConfigSyntaxException(this.file, startLine, "unexpected end of file, unterminated quote");
		}

		private void expectSeparator() {
			if (this.pos < this.text.length()) {
				char c = this.text.charAt(this.pos);
				if (!Character.isWhitespace(c) && c != ';' && c != '{' && c != '}') {
					throw new ConfigSyntaxException(this.file, this.line, "unexpected \"" + c + "\" after a quoted string");
				}
			}
		}

		private String bare() {
			StringBuilder out = new StringBuilder();
			boolean variable = false;
			while (this.pos < this.text.length()) {
				char c = this.text.charAt(this.pos);
				if (Character.isWhitespace(c) || c == ';' || (c == '{' && !variable) || c == '}' && !insideVariable(out)) {
					return out.toString();
				}
				this.pos++;
				if (c == '\\' && this.pos < this.text.length()) {
					out.append(unescape(this.text.charAt(this.pos++)));
					variable = false;
					continue;
				}
				out.append(c);
				variable = c == '$';
			}
			return out.toString();
		}

		/** Inside <code>${name</code>, where <code>}</code> closes the variable, not a block. */
		private static boolean insideVariable(StringBuilder token) {
			int open = token.lastIndexOf("${");
			return open >= 0 && token.indexOf("}", open) < 0;
		}

		/** nginx resolves these escapes; any other backslash is kept (regexes such as {@code \.php$} need it). */
		private static String unescape(char c) {
			return switch (c) {
				case '"', '\'', '\\' -> String.valueOf(c);
				case 't' -> "\t";
				case 'r' -> "\r";
				case 'n' -> "\n";
				default -> "\\" + c;
			};
		}

	}

}
