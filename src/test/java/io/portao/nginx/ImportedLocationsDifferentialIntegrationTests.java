package io.portao.nginx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import io.portao.support.FakeBackend;
import io.portao.support.FreePorts;
import io.portao.support.NginxProcess;
import io.portao.support.PortaoJar;

import static io.portao.nginx.Requests.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * nginx's location matching against the routes {@code import-nginx} made of the same file
 * ({@code src/test/resources/nginx/import/locations/nginx.conf}: exact, {@code ^~}, case-insensitive regex, a
 * prefix with a URI in {@code proxy_pass}, a prefix without trailing slash, {@code return}), nginx running the file
 * and the packaged jar its translation, in front of the same four backends: which backend answers, with which
 * request target, or which status and {@code Location}.
 */
class ImportedLocationsDifferentialIntegrationTests {

	static final Path CONFIG = Path.of("src/test/resources/nginx/import/locations/nginx.conf");

	@TempDir
	static Path tmp;

	static final List<FakeBackend> backends = new ArrayList<>();

	static NginxProcess nginx;

	static PortaoJar portao;

	static int portaoPort;

	@BeforeAll
	static void start() throws Exception {
		NginxProcess.assumeInstalled();
		for (String name : List.of("web", "api", "images", "admin")) {
			backends.add(FakeBackend.start(name));
		}
		int nginxPort = FreePorts.next();
		nginx = NginxProcess.startSite(Files.createDirectories(tmp.resolve("nginx")), config(nginxPort), nginxPort);
		portaoPort = FreePorts.next();
		Path conf = Files.writeString(tmp.resolve("nginx.conf"), config(portaoPort));
		portao = PortaoJar.startImported(tmp, conf, portaoPort).gateway();
	}

	/** The test file with its four upstream ports and its listen port replaced, nothing else. */
	static String config(int port) throws IOException {
		String config = Files.readString(CONFIG).replace("listen 8080;", "listen 127.0.0.1:" + port + ";");
		for (int i = 0; i < backends.size(); i++) {
			config = config.replace("127.0.0.1:800" + (i + 1), "127.0.0.1:" + backends.get(i).port());
		}
		return config;
	}

	@AfterAll
	static void stop() throws Exception {
		if (portao != null) {
			portao.close();
		}
		if (nginx != null) {
			nginx.close();
		}
		for (FakeBackend backend : backends) {
			backend.close();
		}
	}

	/** Each target with what nginx, the oracle, answers: the backend's name, or the status. */
	static Stream<Arguments> targets() {
		return Stream.of(arguments("/", "web"), arguments("/page?x=1", "web"), arguments("/api/users?q=1", "api"),
				arguments("/api/", "api"), arguments("/img/logo.PNG", "images"), arguments("/api/chart.png", "images"),
				arguments("/admin/logo.png", "admin"), arguments("/admin/", "admin"), arguments("/healthz", "204"),
				arguments("/healthz/x", "web"), arguments("/old-blog/post", "301"), arguments("/downloads", "web"),
				arguments("/downloadsfoo/x", "web"), arguments("/static/app.css", "web"),
				arguments("/a%2Fb.png", "images"), arguments("/API/x", "web"), arguments("/x//y.gif", "images"),
				arguments("/api", "301"), arguments("/api?x=1", "301"), arguments("/admin", "301"),
				arguments("/old-blog", "web"));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@MethodSource("targets")
	void routesLikeNginx(String target, String oracle) throws IOException {
		Answer expected = Answer.send(nginx.port(), get(target));
		Answer actual = Answer.send(portaoPort, get(target));
		assertThat(expected.answeredBy()).as("nginx, the oracle").isEqualTo(oracle);
		SoftAssertions.assertSoftly(soft -> {
			soft.assertThat(actual.status()).as("status").isEqualTo(expected.status());
			soft.assertThat(actual.header("X-Backend")).as("backend").isEqualTo(expected.header("X-Backend"));
			// nginx makes its own redirects absolute (absolute_redirect on) with its own port; Portão sends the path.
			soft.assertThat(ImportedSite.locationPath(actual.header("Location"), Requests.HOST)).as("Location")
				.isEqualTo(ImportedSite.locationPath(expected.header("Location"), Requests.HOST));
			if (expected.header("X-Backend") != null) {
				soft.assertThat(actual.echo().uri()).as("request target received").isEqualTo(expected.echo().uri());
			}
		});
	}

}
