package io.portao.nginx;

import java.io.IOException;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Several {@code server} blocks on one port ({@code nginx/differential/virtual-hosts.conf}): nginx picks the server
 * by the name in {@code Host} (exact, {@code .b.test} wildcard, any case, port ignored, the default server for any
 * other name); Portão runs the {@code Host} predicates {@code import-nginx} made of the same file.
 */
class ImportedVirtualHostsDifferentialIntegrationTests {

	@TempDir
	static Path tmp;

	static final List<FakeBackend> backends = new java.util.ArrayList<>();

	static ImportedSite site;

	@BeforeAll
	static void start() throws Exception {
		NginxProcess.assumeInstalled();
		for (String name : List.of("a", "b", "c")) {
			backends.add(FakeBackend.start(name));
		}
		site = ImportedSite.start("virtual-hosts", tmp, Map.of("@BACKEND_A@", String.valueOf(backends.get(0).port()),
				"@BACKEND_B@", String.valueOf(backends.get(1).port()), "@BACKEND_C@",
				String.valueOf(backends.get(2).port())));
	}

	@AfterAll
	static void stop() throws Exception {
		if (site != null) {
			site.close();
		}
		backends.forEach(FakeBackend::close);
	}

	/** Host, target, and what nginx answers: the backend's name or the status. */
	static Stream<Arguments> requests() {
		return Stream.of(arguments("a.test", "/", "a"), arguments("www.a.test", "/x", "a"),
				arguments("A.Test", "/", "a"), arguments("a.test:8080", "/", "a"), arguments("b.test", "/api/x", "b"),
				arguments("b.test", "/x", "a"), arguments("x.b.test", "/api/", "b"), arguments("x.y.b.test", "/api/", "b"),
				arguments("b.test", "/api", "301"), arguments("other.test", "/", "c"), arguments("a.test.evil", "/", "c"),
				arguments("127.0.0.1", "/api/x", "c"));
	}

	@ParameterizedTest(name = "{0} {1} -> {2}")
	@MethodSource("requests")
	void picksTheServerLikeNginx(String host, String target, String oracle) throws IOException {
		Answer[] answers = site.send("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
		Answer expected = answers[0];
		Answer actual = answers[1];
		assertThat(expected.answeredBy()).as("nginx, the oracle").isEqualTo(oracle);
		SoftAssertions.assertSoftly(soft -> {
			soft.assertThat(actual.status()).as("status").isEqualTo(expected.status());
			soft.assertThat(actual.header("X-Backend")).as("backend").isEqualTo(expected.header("X-Backend"));
			soft.assertThat(ImportedSite.locationPath(actual.header("Location"), host))
				.isEqualTo(ImportedSite.locationPath(expected.header("Location"), host));
		});
	}

}
