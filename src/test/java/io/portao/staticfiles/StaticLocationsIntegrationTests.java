package io.portao.staticfiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.portao.PortaoApplication;
import io.portao.lane.LaneConfiguration;
import io.portao.support.RawHttpClient;
import io.portao.support.RawHttpClient.RawResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Several static locations ({@code portao.static-files.locations}), each with its own directory and caching rule,
 * served by two gateways, one with the lanes on and one with them off: every answer has the caching headers of its
 * location's rule, comes from the location with the longest matching prefix, and is the same on both gateways
 * (status, header lines but {@code Date}, body); the lane-on gateway counts the requests that reach its web stack,
 * so each case also says whether the lane answered it.
 */
class StaticLocationsIntegrationTests {

	@TempDir
	static Path dir;

	static Gateway laneOn;

	static Gateway laneOff;

	@BeforeAll
	static void start() throws IOException {
		write("public/app.css", "assets: body { color: red; }\n");
		write("static/css/app.css", "static: body { color: blue; }\n");
		write("images/logo.svg", "<svg/>\n");
		write("static/img/logo.svg", "never served: /static/img/ is its own location\n");
		write("versions/app.js", "let v = 1;\n");
		laneOn = Gateway.start(true);
		laneOff = Gateway.start(false);
	}

	private static void write(String name, String content) throws IOException {
		Path file = dir.resolve(name);
		Files.createDirectories(file.getParent());
		Files.writeString(file, content);
	}

	@AfterAll
	static void stop() {
		if (laneOn != null) {
			laneOn.context.close();
		}
		if (laneOff != null) {
			laneOff.context.close();
		}
	}

	/** Target, status, body start, Cache-Control (null: none), whether Expires is set, whether the lane answers. */
	static Stream<Arguments> requests() {
		String max = "max-age=315360000";
		return Stream.of(arguments("/assets/app.css", 200, "assets:", "max-age=604800", true, true),
				arguments("/assets/app.css?v=1", 200, "assets:", "max-age=604800", true, false),
				arguments("/assets/missing.css", 404, null, null, false, false),
				arguments("/static/css/app.css", 200, "static:", null, false, true),
				arguments("/static/css/app.css?v=1", 200, "static:", max, true, false),
				arguments("/static/img/logo.svg", 200, "<svg/>", null, false, true),
				arguments("/static/img/logo.svg?v=1", 200, "<svg/>", null, false, false),
				arguments("/v/app.js?v=00000", 200, "let v", "no-cache", false, false),
				arguments("/v/app.js?other=1", 200, "let v", max, true, false),
				arguments("/v/app.js", 200, "let v", null, false, true));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("requests")
	void eachLocationAnswersWithItsOwnRuleOnBothPaths(String target, int status, String body, String cacheControl,
			boolean expires, boolean byTheLane) throws IOException {
		int before = WebStackStaticRequests.ALL.get();
		RawResponse on = laneOn.get(target);
		assertThat(WebStackStaticRequests.ALL.get()).as("reached the web stack").isEqualTo(byTheLane ? before : before + 1);
		RawResponse off = laneOff.get(target);

		assertThat(on.status()).isEqualTo(status);
		if (body != null) {
			assertThat(on.body()).startsWith(body);
		}
		assertThat(on.header("Cache-Control")).isEqualTo(cacheControl);
		if (expires && "max-age=604800".equals(cacheControl)) {
			ZonedDateTime at = ZonedDateTime.parse(on.header("Expires"), DateTimeFormatter.RFC_1123_DATE_TIME);
			assertThat(Duration.between(ZonedDateTime.now(), at)).isBetween(Duration.ofDays(7).minusSeconds(5),
					Duration.ofDays(7).plusSeconds(5));
		}
		else if (expires) {
			assertThat(on.header("Expires")).isEqualTo(Expires.EXPIRES_MAX);
		}
		else {
			assertThat(on.header("Expires")).isNull();
		}
		assertThat(off.status()).isEqualTo(on.status());
		assertThat(comparable(off)).containsExactlyElementsOf(comparable(on));
		assertThat(withoutIdAndTime(off.body())).isEqualTo(withoutIdAndTime(on.body()));
	}

	/** An error body's {@code timestamp} and {@code requestId} differ between any two answers. */
	private static String withoutIdAndTime(String body) {
		return body.replaceFirst("\"timestamp\":\"[^\"]*\"", "\"timestamp\":\"-\"")
			.replaceFirst("\"requestId\":\"[^\"]*\"", "\"requestId\":\"-\"");
	}

	/** The header lines but {@code Date}, and {@code Expires} to the minute (both may tick between two answers). */
	private static List<String> comparable(RawResponse response) {
		List<String> lines = new ArrayList<>();
		for (String line : FastPathParity.headerLines(response)) {
			boolean isExpires = line.regionMatches(true, 0, "expires:", 0, 8);
			lines.add(isExpires ? line.substring(0, line.length() - 6) : line);
		}
		return lines;
	}

	/** One gateway in this JVM serving the four locations. */
	record Gateway(ConfigurableApplicationContext context, int port) {

		static Gateway start(boolean lanes) {
			SpringApplicationBuilder builder = lanes
					? new SpringApplicationBuilder(PortaoApplication.class, WebStackStaticRequests.class)
					: new SpringApplicationBuilder(PortaoApplication.class);
			String l = "--portao.static-files.locations";
			ConfigurableApplicationContext context = builder
				.initializers(app -> app.getBeanFactory()
					.registerSingleton("noTestClasses", new StaticFileLaneParityIntegrationTests.NoTestClasses()))
				.run("--server.port=0", "--management.server.port=0", "--" + LaneConfiguration.ENABLED + "=" + lanes,
						l + "[0].path=/assets/", l + "[0].directory=file:" + dir.resolve("public"),
						l + "[0].caching=max-age", l + "[0].max-age=7d",
						l + "[1].path=/static/", l + "[1].directory=file:" + dir.resolve("static") + "/",
						l + "[2].path=/static/img/", l + "[2].directory=file:" + dir.resolve("images") + "/",
						l + "[2].caching=none",
						l + "[3].path=/v/", l + "[3].directory=file:" + dir.resolve("versions") + "/",
						l + "[3].caching=version-check");
			return new Gateway(context, ((WebServerApplicationContext) context).getWebServer().getPort());
		}

		RawResponse get(String target) throws IOException {
			return RawHttpClient.send(this.port,
					"GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", Duration.ofSeconds(10));
		}

	}

}
