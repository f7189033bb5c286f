package io.portao.accesslog;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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
 * instance tried with its status and time; read back by parsing the line the {@code portao.access} logger got.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "portao.trusted-proxies=127.0.0.1/32" })
class AccessLogIntegrationTests {

	static final int MANAGEMENT_PORT = FreePorts.next();

	static final FakeBackend a = FakeBackend.start("backend-a");

	static final FakeBackend b = FakeBackend.start("backend-b");

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, a, b);
		registry.add("management.server.port", () -> MANAGEMENT_PORT);
	}

	@LocalServerPort
	int port;

	final ListAppender<ILoggingEvent> lines = new ListAppender<>();

	GatewayClient client;

	@BeforeEach
	void capture() {
		this.client = new GatewayClient(this.port);
		this.lines.start();
		logger().addAppender(this.lines);
	}

	@AfterEach
	void release() {
		logger().detachAppender(this.lines);
		a.delay(Duration.ZERO);
	}

	@AfterAll
	static void stopBackends() {
		a.close();
		b.close();
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
				int before = this.lines.list.size();
				assertThat(this.client.get("/retry").statusCode()).isEqualTo(200);
				await().atMost(Duration.ofSeconds(5)).until(() -> this.lines.list.size() > before);
				logged.add(AccessLogLine.parse(this.lines.list.get(before).getFormattedMessage()));
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
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.lines.list.isEmpty());
		assertThat(this.lines.list).hasSize(1);
		return AccessLogLine.parse(this.lines.list.get(0).getFormattedMessage());
	}

	private static Logger logger() {
		return (Logger) LoggerFactory.getLogger("portao.access");
	}


}
