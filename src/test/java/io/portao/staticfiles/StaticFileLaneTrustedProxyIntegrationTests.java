package io.portao.staticfiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.RawHttpClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A static file asked for through a trusted proxy ({@code portao.trusted-proxies}) is left to the web stack by the
 * static lane, so that the access log names the client behind the proxy (nginx {@code set_real_ip_from}), as it
 * does for every other request.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0", "portao.trusted-proxies=127.0.0.1/32" })
class StaticFileLaneTrustedProxyIntegrationTests {

	static final StaticRoot files = StaticRoot.create();

	static final Path LOG = StaticFileLaneIntegrationTests.logFile();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.web.resources.static-locations", files::location);
		registry.add("portao.access-log.path", LOG::toString);
		registry.add("portao.access-log.flush", () -> "100ms");
	}

	@AfterAll
	static void stop() throws IOException {
		files.close();
		Files.deleteIfExists(LOG);
	}

	@Test
	void clientBehindATrustedProxyIsLogged() throws Exception {
		// 203.0.113.0/24 is TEST-NET-3 (RFC 5737): only a header value here, no traffic goes there.
		RawHttpClient.RawResponse response = RawHttpClient.send(this.port, "GET /static/app.js HTTP/1.1\r\n"
				+ "Host: localhost\r\nX-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\n", Duration.ofSeconds(10));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("content of app.js\n");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(Files.readAllLines(LOG))
				.anyMatch(line -> line.startsWith("203.0.113.9 - - [") && line.contains("\"GET /static/app.js HTTP/1.1\" 200 ")));
	}

}
