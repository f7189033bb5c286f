package io.portao.nginximport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code import-nginx} on nginx configurations written for these tests (load-balancing variants, several servers,
 * {@code alias}, regex and exact locations, includes, TLS with a redirect, timeouts and limits, headers, directives
 * with no equivalent, a syntax error), each in {@code src/test/resources/nginx/import/<case>/nginx.conf}: standard
 * output must be {@code expected.yml}, standard error and the exit code {@code expected.txt}.
 */
class ImportNginxCommandTests {

	static final Path CASES = Path.of("src/test/resources/nginx/import");

	static Stream<String> cases() throws IOException {
		try (Stream<Path> dirs = Files.list(CASES)) {
			return dirs.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).sorted().toList().stream();
		}
	}

	@Test
	void thereAreAtLeastTenConfigurationsBesidesTheReference() throws IOException {
		assertThat(cases().filter(name -> !name.equals("syntax-error"))).hasSizeGreaterThanOrEqualTo(10);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void importsAsExpected(String name) throws IOException {
		Path dir = CASES.resolve(name);
		Output output = importNginx(List.of(dir.resolve("nginx.conf").toString()));
		assertThat(output.err() + "exit " + output.exitCode() + "\n").isEqualTo(Files.readString(dir.resolve("expected.txt")));
		assertThat(output.out()).isEqualTo(Files.readString(dir.resolve("expected.yml")));
		if (output.exitCode() < 2) {
			assertThat((Object) new Yaml().load(output.out())).as("valid YAML").isNotNull();
		}
	}

	@Test
	void writesTheYamlToTheFileGivenWithO(@TempDir Path tmp) throws IOException {
		Path yaml = tmp.resolve("portao.yml");
		Output output = importNginx(List.of("-o", yaml.toString(), CASES.resolve("no-static/nginx.conf").toString()));
		assertThat(output.exitCode()).isZero();
		assertThat(output.out()).isEmpty();
		assertThat(Files.readString(yaml)).isEqualTo(Files.readString(CASES.resolve("no-static/expected.yml")));
	}

	@Test
	void aMissingFileIsExitCode2(@TempDir Path tmp) {
		Output output = importNginx(List.of(tmp.resolve("nope.conf").toString()));
		assertThat(output.exitCode()).isEqualTo(2);
		assertThat(output.err()).isEqualTo("import-nginx: cannot read " + tmp.resolve("nope.conf") + "\n");
	}

	@Test
	void noFileIsUsage() {
		Output output = importNginx(List.of());
		assertThat(output.exitCode()).isEqualTo(2);
		assertThat(output.err()).startsWith("usage: java -jar portao.jar import-nginx");
	}

	@Test
	void severalFilesAreOneHttpContext(@TempDir Path tmp) throws IOException {
		Path upstreams = Files.writeString(tmp.resolve("upstreams.conf"), "upstream b { server 127.0.0.1:9; }\n");
		Path site = Files.writeString(tmp.resolve("site.conf"), "server { listen 81; location / { proxy_pass http://b; } }\n");
		Output output = importNginx(List.of(upstreams.toString(), site.toString()));
		assertThat(output.exitCode()).as(output.err()).isZero();
		assertThat(output.out()).contains("uri: lb://b").contains("- uri: http://127.0.0.1:9").contains("port: 81");
	}

	@Test
	void aServerOnTwoPortsIsServedOnTheTlsOneAndTheOtherReported(@TempDir Path tmp) throws IOException {
		Path site = Files.writeString(tmp.resolve("site.conf"), """
				server {
				    listen 80;
				    listen 443 ssl;
				    ssl_certificate /c.pem;
				    ssl_certificate_key /k.pem;
				    location / { proxy_pass http://127.0.0.1:9; }
				}
				""");
		Output output = importNginx(List.of(site.toString()));
		assertThat(output.exitCode()).isEqualTo(1);
		assertThat(output.err()).startsWith("site.conf:2: warning: \"listen 80\" not translated: Portão serves this "
				+ "server on port 443 only");
		assertThat(output.out()).contains("port: 443").contains("bundle: web");
	}

	static Stream<String> malformed() {
		return Stream.of("server { listen 80; location / { return; } }",
				"upstream u { server 127.0.0.1:1 weight; } server { location / { proxy_pass http://u; } }",
				"upstream u { server 127.0.0.1:1 max_fails=x; } server { location / { proxy_pass http://u; } }",
				"upstream { server 127.0.0.1:1; } server { location / { return 204; } }",
				"upstream u { server; } server { location / { proxy_pass http://u; } }",
				"server { listen [::1:80; location / { return 204; } }", "server { listen; }",
				"server { location ~ { return 204; } }",
				"server { location / { proxy_pass http://127.0.0.1:1; proxy_set_header Host; } }",
				"upstream u { server 127.0.0.1:1; } server { location / { proxy_pass http://u; "
						+ "proxy_next_upstream_tries many; } }");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformed")
	void whatNginxWouldRefuseIsOneLineAndExitCode2(String config, @TempDir Path tmp) throws IOException {
		Path site = Files.writeString(tmp.resolve("site.conf"), config);
		Output output = importNginx(List.of(site.toString()));
		assertThat(output.exitCode()).isEqualTo(2);
		assertThat(output.err()).matches("import-nginx: site\\.conf:1: invalid [^\\n]+\n");
		assertThat(output.out()).isEmpty();
	}

	static Output importNginx(List<String> args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = ImportNginxCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	record Output(int exitCode, String out, String err) {
	}

}
