package io.portao.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.limits.RequestLineCases.Case;
import io.portao.limits.WireClient.Answer;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.NginxProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same raw bytes of {@link RequestLineCases} to the reference nginx ({@code conf.d/bapi.conf}) and to Portão,
 * both in front of one {@link FakeBackend} and serving {@code /static/app.css}: each answers the status the case
 * names, and a refused request reaches the instance from neither. A request one of them passes on reaches the
 * instance from it: the positive control of the "nothing reached it" count.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0" })
class RequestLineDifferentialIntegrationTests {

	static final Duration TIMEOUT = Duration.ofSeconds(5);

	static final FakeBackend backend = FakeBackend.start("backend-a");

	@TempDir
	static Path tmp;

	static NginxProcess nginx;

	@LocalServerPort
	int port;

	@BeforeAll
	static void startNginx() throws IOException {
		NginxProcess.assumeInstalled();
		Files.createDirectories(root().resolve("static"));
		Files.writeString(root().resolve("static/app.css"), "body { color: #333; }\n");
		nginx = NginxProcess.start(Files.createDirectories(tmp.resolve("nginx")), List.of(backend.port()), root());
	}

	@DynamicPropertySource
	static void portao(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, backend);
		registry.add("spring.web.resources.static-locations", () -> "file:" + root().resolve("static") + "/");
	}

	@AfterAll
	static void stop() {
		if (nginx != null) {
			nginx.close();
		}
		backend.close();
	}

	/** nginx's {@code root}: {@code /static/x} is read from {@code root/static/x}. */
	static Path root() {
		return tmp.resolve("root");
	}

	static Stream<Case> refused() {
		return RequestLineCases.refused().stream();
	}

	static Stream<Case> servedAlike() {
		return RequestLineCases.servedAlike().stream();
	}

	static Stream<Case> whitespaceNettyAccepts() {
		return RequestLineCases.whitespaceNettyAccepts().stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource({ "refused", "servedAlike" })
	void answersAsTheCaseSays(Case request) throws IOException {
		sendTo(nginx.port(), "nginx", request.nginx(), request);
		sendTo(this.port, "Portão", request.portao(), request);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("whitespaceNettyAccepts")
	void servesWhitespaceNginxRefusesWithACleanRequestLine(Case request) throws IOException {
		sendTo(nginx.port(), "nginx", request.nginx(), request);
		backend.clear();
		sendTo(this.port, "Portão", request.portao(), request);
		FakeBackend.Echo received = backend.received().get(0);
		assertThat(received.method() + " " + received.uri()).isEqualTo("GET /e");
	}

	/**
	 * Sends {@code request} to {@code port}. A status of 400 or more is the server's own refusal: no request head
	 * may reach the instance. Any other is a request the server passes on: its head must reach the instance, and
	 * the status is the instance's (unless the instance's HTTP server refused it: Reactor Netty answers
	 * {@code 400} to a {@code Host} port that is not a number, which nginx passes on).
	 */
	private static void sendTo(int port, String server, int status, Case request) throws IOException {
		int heads = backend.heads();
		int handled = backend.requestCount();
		Answer answer = WireClient.exchange(port, request.bytes(), TIMEOUT);
		if (status >= 400) {
			assertThat(answer.status()).as(server + " answered:\n" + answer.raw()).isEqualTo(status);
			assertThat(backend.heads() - heads).as("requests reaching the instance from " + server).isZero();
			return;
		}
		assertThat(backend.heads() - heads).as(server + " passes it on; it answered:\n" + answer.raw()).isEqualTo(1);
		if (backend.requestCount() > handled) {
			assertThat(answer.status()).as(server + " answered:\n" + answer.raw()).isEqualTo(status);
		}
	}

}
