package io.portao.headers;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.FakeBackend.Echo;
import io.portao.support.RawHttpClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code portao.send-x-forwarded-for: true} with no trusted proxy (what {@code import-nginx} writes for nginx's
 * {@code proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for}): the backend gets the peer's address, and a
 * client-sent list is dropped, never passed on.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0", "portao.send-x-forwarded-for=true" })
class SendXForwardedForIntegrationTests {

	static final FakeBackend backend = FakeBackend.start("backend-a");

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, backend);
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() {
		backend.close();
	}

	@Test
	void sendsThePeerAddress() throws Exception {
		Echo echo = send("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
		assertThat(echo.header("x-forwarded-for")).isEqualTo("127.0.0.1");
	}

	@Test
	void dropsAClientSentList() throws Exception {
		Echo echo = send("GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 6.6.6.6\r\nConnection: close\r\n\r\n");
		assertThat(echo.header("x-forwarded-for")).isEqualTo("127.0.0.1");
		assertThat(echo.header("x-real-ip")).isEqualTo("127.0.0.1");
	}

	private Echo send(String request) throws Exception {
		return Echo.parse(RawHttpClient.send(this.port, request, Duration.ofSeconds(10)).body());
	}

}
