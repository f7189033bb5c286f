package io.portao.nginximport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** nginx's own tokenizing rules ({@code ngx_conf_read_token}), on real files. */
class ConfigParserTests {

	@TempDir
	Path dir;

	private List<Directive> parse(String text) throws IOException {
		Path file = Files.writeString(this.dir.resolve("nginx.conf"), text);
		return new ConfigParser(this.dir, new Report()).parse(file);
	}

	@Test
	void quotesGroupAndEscapesResolve() throws IOException {
		List<Directive> directives = parse("add_header X \"a; b { c }\";\nadd_header Y 'it\\'s' \"tab\\there\";\n");
		assertThat(directives.get(0).args()).containsExactly("X", "a; b { c }");
		assertThat(directives.get(1).args()).containsExactly("Y", "it's", "tab\there");
		assertThat(directives.get(1).line()).isEqualTo(2);
	}

	@Test
	void aBackslashOutsideQuotesIsKeptForRegexes() throws IOException {
		Directive location = parse("location ~ \\.php$ { return 404; }").get(0);
		assertThat(location.args()).containsExactly("~", "\\.php$");
		assertThat(location.block()).extracting(Directive::text).containsExactly("return 404");
	}

	@Test
	void hashStartsACommentOnlyAtTheStartOfAToken() throws IOException {
		List<Directive> directives = parse("# a comment\nserver_name a#b; # trailing\nlisten 80;#x\n");
		assertThat(directives).extracting(Directive::text).containsExactly("server_name a#b", "listen 80");
	}

	@Test
	void bracedVariablesDoNotOpenBlocks() throws IOException {
		Directive directive = parse("return 301 https://${host}${request_uri};").get(0);
		assertThat(directive.args()).containsExactly("301", "https://${host}${request_uri}");
		assertThat(directive.isBlock()).isFalse();
	}

	@Test
	void blocksNestWithTheirLines() throws IOException {
		Directive http = parse("http {\n  server {\n    location / {\n      proxy_pass http://a;\n    }\n  }\n}\n").get(0);
		Directive location = http.block().get(0).block().get(0);
		assertThat(location.text()).isEqualTo("location /");
		assertThat(location.line()).isEqualTo(3);
		assertThat(location.block().get(0).line()).isEqualTo(4);
	}

	@Test
	void includesExpandInPlaceWithGlobsInNameOrder() throws IOException {
		Files.createDirectories(this.dir.resolve("conf.d"));
		Files.writeString(this.dir.resolve("conf.d/b.conf"), "listen 2;");
		Files.writeString(this.dir.resolve("conf.d/a.conf"), "listen 1;");
		List<Directive> directives = parse("listen 0;\ninclude conf.d/*.conf;\ninclude none/*.conf;\nlisten 3;\n");
		assertThat(directives).extracting(Directive::text).containsExactly("listen 0", "listen 1", "listen 2", "listen 3");
		assertThat(directives.get(1).file().getFileName()).hasToString("a.conf");
	}

	@Test
	void syntaxErrorsNameFileAndLine() {
		assertThatExceptionOfType(ConfigSyntaxException.class).isThrownBy(() -> parse("server {\n listen 80;\n"))
			.withMessage("nginx.conf:3: unexpected end of file, expecting \"}\"");
		assertThatExceptionOfType(ConfigSyntaxException.class).isThrownBy(() -> parse("listen 80;\n}\n"))
			.withMessage("nginx.conf:2: unexpected \"}\"");
		assertThatExceptionOfType(ConfigSyntaxException.class).isThrownBy(() -> parse("listen 80\n"))
			.withMessage("nginx.conf:1: unexpected end of file, expecting \";\" or \"}\"");
		assertThatExceptionOfType(ConfigSyntaxException.class).isThrownBy(() -> parse("root \"/a\"b;"))
			.withMessage("nginx.conf:1: unexpected \"b\" after a quoted string");
	}

	@Test
	void anIncludeThatIncludesItselfStops() throws IOException {
		assertThatExceptionOfType(ConfigSyntaxException.class).isThrownBy(() -> parse("include nginx.conf;"))
			.withMessageContaining("includes nested deeper than 16");
	}

}
