package io.portao.nginx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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
 * Several static locations ({@code nginx/differential/static-locations.conf}: {@code alias} with {@code expires 7d},
 * {@code root} with the query rule {@code if ($query_string) { expires max; }}, and a longer prefix inside it with
 * neither) against the {@code portao.static-files.locations} {@code import-nginx} made of them: the same files from
 * the same location (nginx's longest prefix), the same 404s, the same paths left to the proxied location, and the
 * same caching headers, {@code Expires} to within a few seconds (nginx sets it from the time of the answer).
 */
class ImportedStaticLocationsDifferentialIntegrationTests {

	static final List<String> HEADERS = List.of("Content-Type", "Content-Length", "Last-Modified", "ETag",
			"Cache-Control");

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
		ImportedSite.write(root.resolve("static/css/app.css"), "body { color: blue; }\n");
		ImportedSite.write(root.resolve("static/img/logo.svg"), "not served: /static/img/ is its own location\n");
		ImportedSite.write(root.resolve("images/logo.svg"), "<svg/>\n");
		site = ImportedSite.start("static-locations", Files.createDirectories(tmp.resolve("run")),
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

	/** Target, what nginx answers (the status, or "app" when proxied), and its Cache-Control. */
	static Stream<Arguments> requests() {
		return Stream.of(arguments("/assets/app.css", "200", "max-age=604800"),
				arguments("/assets/app.css?v=1", "200", "max-age=604800"),
				arguments("/assets/missing.css", "404", null),
				arguments("/static/css/app.css", "200", null),
				arguments("/static/css/app.css?v=1", "200", "max-age=315360000"),
				arguments("/static/img/logo.svg", "200", null),
				arguments("/static/img/logo.svg?v=1", "200", null),
				arguments("/assets", "app", null), arguments("/public/app.css", "app", null));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@MethodSource("requests")
	void servesLikeNginx(String target, String oracle, String cacheControl) throws IOException {
		Answer[] answers = site.send(get(target));
		Answer expected = answers[0];
		Answer actual = answers[1];
		assertThat(expected.answeredBy()).as("nginx, the oracle").isEqualTo(oracle);
		assertThat(expected.header("Cache-Control")).as("nginx's Cache-Control").isEqualTo(cacheControl);
		SoftAssertions.assertSoftly(soft -> {
			soft.assertThat(actual.status()).as("status").isEqualTo(expected.status());
			soft.assertThat(actual.header("X-Backend")).as("backend").isEqualTo(expected.header("X-Backend"));
			if (expected.status() == 200 && expected.header("X-Backend") == null) {
				soft.assertThat(actual.headers(HEADERS)).isEqualTo(expected.headers(HEADERS));
				soft.assertThat(actual.body()).as("body").isEqualTo(expected.body());
			}
			soft.assertThat(actual.header("Expires") == null).as("Expires present")
				.isEqualTo(expected.header("Expires") == null);
			if (expected.header("Expires") != null && actual.header("Expires") != null) {
				soft.assertThat(Duration.between(date(expected.header("Expires")), date(actual.header("Expires"))).abs())
					.as("Expires, " + expected.header("Expires") + " and " + actual.header("Expires"))
					.isLessThanOrEqualTo(Duration.ofSeconds(3));
			}
		});
	}

	private static ZonedDateTime date(String value) {
		return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
	}

}
