package io.portao.accesslog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.FreePorts;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One nginx-style access log line per request on the public port, proxied and static alike, naming every
 * instance tried with its status and time; read back by parsing the line written to the file {@code portao.access-log.path} names.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "portao.trusted-proxies=127.0.0.1/32" })
class AccessLogIntegrationTests {

	static final int MANAGEMENT_PORT = FreePorts.next();

	static final FakeBackend a = FakeBackend.start("backend-a");

	static final FakeBackend b = FakeBackend.start("backend-b");

	static final Path LOG = createLogFile();

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, a, b);
		registry.add("management.server.port", () -> MANAGEMENT_PORT);
		registry.add("portao.access-log.path", LOG::toString);
	}

	@LocalServerPort
	int port;

	/** Lines in the file before the current test: earlier tests' lines, all written (the writer is idle). */
	int earlierLines;

	GatewayClient client;

	@BeforeEach
	void capture() {
		this.client = new GatewayClient(this.port);
		this.earlierLines = allLines().size();
	}

	@AfterEach
	void release() {
		a.delay(Duration.ZERO);
	}

	@AfterAll
	static void stopBackends() throws IOException {
		a.close();
		b.close();
		Files.deleteIfExists(LOG);
	}

	@Test
	void logsAProxiedRequestWithTheInstanceAndTheUpstreamTime() {
		a.delay(Duration.ofMillis(150));
		b.delay(Duration.ofMillis(150));
		HttpResponse<String> response = this.client.send(this.client.request("/items/42?sort=asc")
			.header("User-Agent", "probe/1.0 \"quoted\"")
			.header("Referer", "http://example.test/page")
			.header("Authorization", "Basic YWxpY2U6c2VjcmV0")
			.GET()
			.build());
		AccessLogLine line = onlyLine();
		String instance = "127.0.0.1:" + ("backend-a".equals(response.headers().firstValue("X-Backend").orElse(""))
				? a.port() : b.port());
		assertThat(line.remoteAddr()).isEqualTo("127.0.0.1");
		assertThat(line.remoteUser()).isEqualTo("alice");
		ZonedDateTime.parse(line.timeLocal(), DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH));
		assertThat(line.request()).isEqualTo("GET /items/42?sort=asc HTTP/1.1");
		assertThat(line.status()).isEqualTo(200);
		assertThat(line.bodyBytesSent()).isEqualTo(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
		assertThat(line.referer()).isEqualTo("http://example.test/page");
		assertThat(line.userAgent()).isEqualTo("probe/1.0 \\x22quoted\\x22");
		assertThat(line.forwardedFor()).isEqualTo("-");
		assertThat(line.upstreamAddr()).containsExactly(instance);
		assertThat(line.upstreamStatus()).containsExactly("200");
		double upstreamSeconds = Double.parseDouble(line.upstreamResponseTime().get(0));
		assertThat(upstreamSeconds).isGreaterThanOrEqualTo(0.150);
		assertThat(line.requestSeconds()).isGreaterThanOrEqualTo(upstreamSeconds);
	}

	@Test
	void listsEveryInstanceTriedOnARetryLikeNginx() {
		b.stop();
		try {
			List<AccessLogLine> logged = new java.util.ArrayList<>();
			for (int i = 0; i < 2; i++) {
				int before = lines().size();
				assertThat(this.client.get("/retry").statusCode()).isEqualTo(200);
				await().atMost(Duration.ofSeconds(5)).until(() -> lines().size() > before);
				logged.add(AccessLogLine.parse(lines().get(before)));
			}
			AccessLogLine retried = logged.stream().filter(l -> l.upstreamAddr().size() == 2).findFirst().orElseThrow();
			assertThat(retried.upstreamAddr()).containsExactly("127.0.0.1:" + b.port(), "127.0.0.1:" + a.port());
			assertThat(retried.upstreamStatus()).containsExactly("502", "200");
			assertThat(retried.upstreamResponseTime()).hasSize(2).allMatch(t -> t.matches("\\d+\\.\\d{3}"));
			assertThat(retried.status()).isEqualTo(200);
		}
		finally {
			b.restart();
		}
	}

	@Test
	void logsTheStatusAnErrorHandlerWroteWhenNoInstanceAnswers() {
		a.stop();
		b.stop();
		try {
			HttpResponse<String> response = this.client.get("/down");
			assertThat(response.statusCode()).isEqualTo(502);
			AccessLogLine line = onlyLine();
			assertThat(line.status()).isEqualTo(502);
			assertThat(line.bodyBytesSent()).isEqualTo(response.body().length());
			assertThat(line.upstreamStatus()).containsOnly("502");
		}
		finally {
			a.restart();
			b.restart();
		}
	}

	@Test
	void logsStaticAnswersWithoutUpstreamFields() {
		assertThat(this.client.get("/static/missing.css").statusCode()).isEqualTo(404);
		AccessLogLine line = onlyLine();
		assertThat(line.request()).isEqualTo("GET /static/missing.css HTTP/1.1");
		assertThat(line.status()).isEqualTo(404);
		assertThat(line.upstreamAddr()).containsExactly("-");
		assertThat(line.upstreamStatus()).containsExactly("-");
		assertThat(line.upstreamResponseTime()).containsExactly("-");
	}

	@Test
	void logsTheRealClientBehindATrustedProxy() {
		this.client.send(this.client.request("/behind-proxy").header("X-Forwarded-For", "203.0.113.7").GET().build());
		AccessLogLine line = onlyLine();
		assertThat(line.remoteAddr()).isEqualTo("203.0.113.7");
		assertThat(line.forwardedFor()).isEqualTo("203.0.113.7");
	}

	@Test
	void doesNotLogTheManagementPort() throws InterruptedException {
		GatewayClient management = new GatewayClient(MANAGEMENT_PORT);
		assertThat(management.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(this.client.get("/after-management").statusCode()).isEqualTo(200);
		AccessLogLine line = onlyLine();
		assertThat(line.request()).startsWith("GET /after-management ");
	}

	private AccessLogLine onlyLine() {
		await().atMost(Duration.ofSeconds(5)).until(() -> !lines().isEmpty());
		assertThat(lines()).hasSize(1);
		return AccessLogLine.parse(lines().get(0));
	}

	/** This test's lines: those after {@link #earlierLines}. */
	private List<String> lines() {
		List<String> all = allLines();
		return all.subList(Math.min(this.earlierLines, all.size()), all.size());
	}

	private static List<String> allLines() {
		try {
			return Files.readAllLines(LOG, StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path createLogFile() {
		try {
			return Files.createTempFile("portao-access", ".log");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}


}
