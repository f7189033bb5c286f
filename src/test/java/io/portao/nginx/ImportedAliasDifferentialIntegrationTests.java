package io.portao.nginx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.portao.support.FakeBackend;
import io.portao.support.NginxProcess;

import static io.portao.nginx.Requests.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * nginx's {@code alias} ({@code nginx/differential/alias.conf}: {@code location /assets/ { alias <root>/public/; }}
 * reads {@code /assets/x} from {@code <root>/public/x}) against the static location {@code import-nginx} made of it:
 * the same files, the same 404s, the same paths left to the proxied location, the same caching headers (none: no
 * {@code expires} in that location).
 */
class ImportedAliasDifferentialIntegrationTests {

	static final List<String> HEADERS = List.of("Content-Type", "Content-Length", "Last-Modified", "ETag",
			"Cache-Control", "Expires");

	@TempDir
	static Path tmp;

	static FakeBackend app;

	static ImportedSite site;

	@BeforeAll
	static void start() throws Exception {
		NginxProcess.assumeInstalled();
		app = FakeBackend.start("app");
		Path root = Files.createDirectories(tmp.resolve("root"));
		ImportedSite.write(root.resolve("public/app.css"), "body { color: red; }\n");
		ImportedSite.write(root.resolve("public/sub/x.js"), "let x = 1;\n");
		ImportedSite.write(root.resolve("assets/app.css"), "not under the alias\n");
		site = ImportedSite.start("alias", Files.createDirectories(tmp.resolve("run")),
				Map.of("@BACKEND_A@", String.valueOf(app.port()), "@ROOT@", root.toString()));
	}

	@AfterAll
	static void stop() throws Exception {
		if (site != null) {
			site.close();
		}
		if (app != null) {
			app.close();
		}
	}

	/** Target and what nginx answers: the status, or "app" when proxied. */
	static Stream<Arguments> requests() {
		return Stream.of(arguments("/assets/app.css", "200"), arguments("/assets/sub/x.js", "200"),
				arguments("/assets/app.css?v=1", "200"), arguments("/assets/missing.css", "404"),
				arguments("/assets", "app"), arguments("/assetsx/y", "app"), arguments("/public/app.css", "app"));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@MethodSource("requests")
	void servesLikeNginx(String target, String oracle) throws IOException {
		Answer[] answers = site.send(get(target));
		Answer expected = answers[0];
		Answer actual = answers[1];
		assertThat(expected.answeredBy()).as("nginx, the oracle").isEqualTo(oracle);
		SoftAssertions.assertSoftly(soft -> {
			soft.assertThat(actual.status()).as("status").isEqualTo(expected.status());
			soft.assertThat(actual.header("X-Backend")).as("backend").isEqualTo(expected.header("X-Backend"));
			if (expected.status() == 200 && expected.header("X-Backend") == null) {
				soft.assertThat(actual.headers(HEADERS)).isEqualTo(expected.headers(HEADERS));
				soft.assertThat(actual.body()).as("body").isEqualTo(expected.body());
			}
		});
	}

}
