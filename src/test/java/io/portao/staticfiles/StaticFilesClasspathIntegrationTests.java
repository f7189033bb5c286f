package io.portao.staticfiles;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

import io.portao.PortaoApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code classpath:} static location (as the demo profile's {@code classpath:/demo-static/}), here with
 * {@code portao.static-files.expires-max-on-query=false}.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0",
				"spring.web.resources.static-locations=classpath:/io/portao/staticfiles/classpath-root/",
				"portao.static-files.expires-max-on-query=false" })
class StaticFilesClasspathIntegrationTests {

	static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	int port;

	@Test
	void servesFromTheClasspath() throws Exception {
		HttpResponse<String> response = get("/static/demo.css");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("body { color: teal; }\n");
		assertThat(response.headers().allValues("Content-Type")).containsExactly("text/css");
		assertThat(response.headers().firstValue("ETag")).isPresent();
	}

	@Test
	void classpathOutsideTheLocationIsNotServed() throws Exception {
		assertThat(get("/static/../mime.types").statusCode()).isIn(400, 404);
		assertThat(get("/static/%2e%2e/mime.types").statusCode()).isIn(400, 404);
		assertThat(get("/static/io/portao/PortaoApplication.class").statusCode()).isEqualTo(404);
	}

	@Test
	void noExpiresMaxWhenSwitchedOff() throws Exception {
		HttpResponse<String> response = get("/static/demo.css?v=1");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Expires")).isEmpty();
		assertThat(response.headers().firstValue("Cache-Control")).isEmpty();
	}

	private HttpResponse<String> get(String path) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				BodyHandlers.ofString());
	}

}
