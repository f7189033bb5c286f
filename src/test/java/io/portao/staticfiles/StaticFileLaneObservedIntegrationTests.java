package io.portao.staticfiles;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.FreePorts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With an observation set-up beyond Boot's default (here {@code management.observations.key-values}), the static
 * lane observes each request as Spring WebFlux does instead of recording its timer directly ({@code LaneRecorder}):
 * the common key value is on the lane's requests too, in the one series.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.observations.key-values.region=eu-test" })
class StaticFileLaneObservedIntegrationTests {

	static final StaticRoot files = StaticRoot.create();

	static final int MANAGEMENT_PORT = FreePorts.next();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.web.resources.static-locations", files::location);
		registry.add("management.server.port", () -> MANAGEMENT_PORT);
	}

	@AfterAll
	static void stop() throws IOException {
		files.close();
	}

	@Test
	void laneAndWebStackRecordOneSeriesWithTheCommonKeyValue() throws Exception {
		long before = StaticFileLaneIntegrationTests.staticOkCount(MANAGEMENT_PORT);
		assertThat(send(request("/static/app.js").build()).statusCode()).isEqualTo(200);
		assertThat(send(request("/static/app.js").header("If-Modified-Since", "Thu, 01 Jan 2015 00:00:00 GMT").build())
			.statusCode()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(StaticFileLaneIntegrationTests.staticOkCount(MANAGEMENT_PORT)).isEqualTo(before + 2));
		List<String> series = StaticFileLaneIntegrationTests.staticOkSeries(MANAGEMENT_PORT);
		assertThat(series).hasSize(1);
		assertThat(series.get(0)).contains("region=\"eu-test\"", "uri=\"/static/**\"", "error=\"none\"");
	}

	private HttpResponse<String> send(HttpRequest request) throws Exception {
		return StaticFileLaneIntegrationTests.http.send(request, BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).timeout(Duration.ofSeconds(10));
	}

}
