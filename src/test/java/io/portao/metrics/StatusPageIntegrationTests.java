package io.portao.metrics;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.ChromiumPage;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.FreePorts;
import io.portao.support.GatewayClient;
import io.portao.support.HeadlessChromium;
import io.portao.support.KeepAliveLoad;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status page on the management port, loaded in headless Chromium: after traffic it shows one row per
 * instance with the endpoint's counts, and under load each server's requests per second and p99 as sparklines,
 * with its answers by status class. The screenshots are kept at {@code target/status-page.png} and
 * {@code target/status-page-live.png}.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "server.port=0")
class StatusPageIntegrationTests {

	static final int MANAGEMENT_PORT = FreePorts.next();

	static final FakeBackend a = FakeBackend.start("backend-a");

	static final FakeBackend b = FakeBackend.start("backend-b");

	static final Path SCREENSHOT = Path.of("target", "status-page.png");

	static final Path LIVE_SCREENSHOT = Path.of("target", "status-page-live.png");

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, a, b);
		registry.add("management.server.port", () -> MANAGEMENT_PORT);
	}

	@LocalServerPort
	int port;

	@TempDir
	Path work;

	GatewayClient management = new GatewayClient(MANAGEMENT_PORT);

	@AfterAll
	static void stopBackends() {
		a.close();
		b.close();
	}

	@Test
	void isServedOnTheManagementPortOnlyAsPlainHtml() {
		HttpResponse<String> page = this.management.get("/status");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("text/html"));
		assertThat(page.body()).contains("fetch(url").contains("\"actuator/upstreams\"");
		HttpResponse<String> proxied = new GatewayClient(this.port).get("/status");
		assertThat(proxied.headers().firstValue("X-Backend")).isPresent();
	}

	@Test
	void showsEveryInstanceWithItsCountsInChromium() throws Exception {
		HeadlessChromium chromium = HeadlessChromium.require(this.work);
		GatewayClient client = new GatewayClient(this.port);
		for (int i = 0; i < 7; i++) {
			assertThat(client.get("/page/" + i).statusCode()).isEqualTo(200);
		}
		JsonNode instances = new ObjectMapper().readTree(this.management.get("/actuator/upstreams/bapis").body())
			.get("instances");
		String url = "http://127.0.0.1:" + MANAGEMENT_PORT + "/status";
		String dom = chromium.dumpDom(url, Duration.ofSeconds(5));
		for (JsonNode instance : instances) {
			String authority = instance.get("uri").asString().replace("http://", "");
			String row = row(dom, authority);
			assertThat(cell(row, "requests")).isEqualTo(instance.get("requests").asString());
			assertThat(cell(row, "state")).isEqualTo("UP");
		}
		assertThat(cell(row(dom, "127.0.0.1:" + a.port()), "requests")).isIn("3", "4");
		chromium.screenshot(url, Duration.ofSeconds(5), SCREENSHOT);
		assertThat(SCREENSHOT).exists();
		assertThat(Files.size(SCREENSHOT)).isGreaterThan(1000);
	}

	@Test
	void drawsEachServersRateAndP99OverTheLastMinuteWithItsStatusClassesInChromium() throws Exception {
		HeadlessChromium chromium = HeadlessChromium.require(this.work);
		String server = "127.0.0.1:" + a.port();
		String row = "document.querySelector('tr[data-instance=\"" + server + "\"]')";
		try (ChromiumPage page = chromium.open("http://127.0.0.1:" + MANAGEMENT_PORT + "/status")) {
			page.await(row + " !== null", Duration.ofSeconds(10));
			KeepAliveLoad load = KeepAliveLoad.start(this.port, 2, "/live/", Duration.ofMillis(10), 10_000,
					Duration.ofSeconds(30));
			try {
				page.await(row + ".querySelector('td.rps polyline').getAttribute('points').split(' ').length >= 4 && Number("
						+ row + ".querySelector('td.rps .value').textContent) > 0", Duration.ofSeconds(20));
				page.await("Number(" + row + ".querySelector('td.p99 .value').textContent) >= 0 && "
						+ row + ".querySelector('td.p99 polyline').getAttribute('points').length > 0", Duration.ofSeconds(10));
			}
			finally {
				assertThat(load.stop().failures()).isEmpty();
			}
			JsonNode responses = instance(server).get("responses");
			page.await(row + ".querySelector('td.r2xx').textContent === '" + responses.get("2xx").asString() + "'",
					Duration.ofSeconds(10));
			assertThat(page.evaluate(row + ".querySelector('td.r5xx').textContent").asString()).isEqualTo("0");
			assertThat(page.evaluate(row + ".querySelector('td.weight').textContent").asString()).isEqualTo("1");
			page.screenshot(LIVE_SCREENSHOT);
		}
		assertThat(Files.size(LIVE_SCREENSHOT)).as("a PNG of the page with its sparklines").isGreaterThan(5_000);
	}

	private JsonNode instance(String server) {
		for (JsonNode instance : new ObjectMapper().readTree(this.management.get("/actuator/upstreams/bapis").body())
			.get("instances")) {
			if (instance.get("uri").asString().equals("http://" + server)) {
				return instance;
			}
		}
		throw new AssertionError("no instance " + server);
	}

	private static String row(String dom, String authority) {
		Matcher row = Pattern.compile("<tr data-instance=\"" + Pattern.quote(authority) + "\">(.*?)</tr>").matcher(dom);
		assertThat(row.find()).as("a row for %s in %s", authority, dom).isTrue();
		return row.group(1);
	}

	private static String cell(String row, String column) {
		Matcher cell = Pattern.compile("<td class=\"" + column + "[^\"]*\">([^<]*)</td>").matcher(row);
		assertThat(cell.find()).as("column %s in %s", column, row).isTrue();
		return cell.group(1);
	}

}
