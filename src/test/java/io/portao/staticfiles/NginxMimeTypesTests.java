package io.portao.staticfiles;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

class NginxMimeTypesTests {

	private final NginxMimeTypes shipped = NginxMimeTypes.load();

	@ParameterizedTest
	@CsvSource({ "app.js, application/javascript", "app.css, text/css", "index.html, text/html",
			"index.htm, text/html", "logo.png, image/png", "logo.svg, image/svg+xml", "font.woff2, font/woff2",
			"data.json, application/json", "notes.txt, text/plain", "photo.JPG, image/jpeg", "app.wasm, application/wasm",
			"favicon.ico, image/x-icon", "setup.exe, application/octet-stream" })
	void shippedTableIsNginxs(String filename, String type) {
		assertThat(this.shipped.forFilename(filename)).isEqualTo(MediaType.parseMediaType(type));
	}

	@ParameterizedTest
	@CsvSource({ "report.csv", "notes.md", "README", "archive.tar.gz.unknown", "trailing-dot." })
	void anythingElseIsNginxsDefaultType(String filename) {
		assertThat(this.shipped.forFilename(filename)).isEqualTo(MediaType.APPLICATION_OCTET_STREAM);
	}

	@Test
	void noTypeHasACharset() {
		assertThat(this.shipped.byExtension().values()).allSatisfy(type -> assertThat(type.getCharset()).isNull());
	}

	@Test
	void shippedTableIsComplete() {
		assertThat(this.shipped.byExtension()).hasSize(110);
	}

	@Test
	void parsesNginxSyntaxWithCommentsAndLastDefinitionWins() {
		NginxMimeTypes types = NginxMimeTypes.parse("""
				# a comment; with a semicolon
				types {
				    text/html   html htm;   # trailing comment
				    image/png   png;
				    text/x-html HTML;
				}
				""");

		assertThat(types.byExtension()).containsOnlyKeys("html", "htm", "png");
		assertThat(types.forFilename("a.html")).isEqualTo(MediaType.parseMediaType("text/x-html"));
		assertThat(types.forFilename("a.htm")).isEqualTo(MediaType.TEXT_HTML);
	}

}
