package io.portao.metrics;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Autowired;
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
 * Draining an instance at run time ({@code POST /actuator/upstreams/{upstream}/{host:port}} on the management port,
 * NGINX Plus's {@code drain}): under load from four keep-alive clients, the drained instance gets no new request
 * 100 ms after the call, the requests it already had complete with their 200s, and the endpoint, the state gauge,
 * the health component and the status page (its button clicked in Chromium) show {@code DRAINING}, then
 * {@code DRAINED}; {@code up} brings it back.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "server.port=0")
class InstanceDrainIntegrationTests {

	static final int MANAGEMENT_PORT = FreePorts.next();

	static final FakeBackend fast = FakeBackend.start("fast");

	/** Slow enough that requests are in flight when the drain is called. */
	static final FakeBackend slow = FakeBackend.start("slow").delay(Duration.ofMillis(800));

	static final ObjectMapper json = new ObjectMapper();

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, fast, slow);
		registry.add("management.server.port", () -> MANAGEMENT_PORT);
	}

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@TempDir
	Path work;

	final GatewayClient management = new GatewayClient(MANAGEMENT_PORT);

	@AfterEach
	void backUp() {
		set(slow, "up");
	}

	@AfterAll
	static void stopBackends() {
		fast.close();
		slow.close();
	}

	@Test
	void aDrainedInstanceTakesNoNewRequestAndFinishesThoseInFlight() throws Exception {
		KeepAliveLoad load = KeepAliveLoad.start(this.port, 4, "/load/", Duration.ZERO, 2000, Duration.ofSeconds(20));
		KeepAliveLoad.Result result;
		try {
			awaitInFlight(slow, 1);

			JsonNode drained = json.readTree(set(slow, "drain").body());
			long calledAt = System.nanoTime();
			assertThat(drained.get("control").asString()).isEqualTo("DRAIN");
			assertThat(drained.get("state").asString()).as("requests still in flight").isEqualTo("DRAINING");
			assertThat(health(slow)).isEqualTo("DRAINING");
			assertThat(stateGauge(slow, "DRAINING")).isEqualTo(1.0);

			Thread.sleep(Math.max(0, 100 - Duration.ofNanos(System.nanoTime() - calledAt).toMillis()));
			int headsAfter100ms = slow.heads();
			awaitState(slow, "DRAINED", Duration.ofSeconds(5));
			assertThat(health(slow)).isEqualTo("DRAINED");
			assertThat(stateGauge(slow, "DRAINED")).isEqualTo(1.0);
			assertThat(stateGauge(slow, "DRAINING")).isEqualTo(0.0);
			Thread.sleep(1000);
			assertThat(slow.heads()).as("no new request to the drained instance after 100 ms").isEqualTo(headsAfter100ms);
			assertThat(instance(slow).get("inFlight").asInt()).isZero();
		}
		finally {
			result = load.stop();
		}
		assertThat(result.failures())
			.as("every request answered 200, those in flight at the drained instance included")
			.isEmpty();
		assertThat(result.answered()).isGreaterThan(20);

		int before = slow.heads();
		assertThat(json.readTree(set(slow, "up").body()).get("state").asString()).isEqualTo("UP");
		GatewayClient client = new GatewayClient(this.port);
		for (int i = 0; i < 4; i++) {
			assertThat(client.get("/after-up/" + i).statusCode()).isEqualTo(200);
		}
		assertThat(slow.heads()).as("back in rotation after up").isGreaterThan(before);
	}

	@Test
	void theStatusPageButtonsDrainAndBringBackAnInstanceInChromium() throws Exception {
		HeadlessChromium chromium = HeadlessChromium.require(this.work);
		String row = "document.querySelector('tr[data-instance=\"" + slow.authority() + "\"]')";
		try (ChromiumPage page = chromium.open("http://127.0.0.1:" + MANAGEMENT_PORT + "/status")) {
			page.await(row + " !== null", Duration.ofSeconds(15));
			page.evaluate(row + ".querySelector('button[data-action=\"drain\"]').click()");
			page.await(row + ".querySelector('td.state').textContent === 'DRAINED'", Duration.ofSeconds(10));
			assertThat(instance(slow).get("state").asString()).isEqualTo("DRAINED");
			assertThat(instance(slow).get("control").asString()).isEqualTo("DRAIN");

			page.evaluate(row + ".querySelector('button[data-action=\"down\"]').click()");
			page.await(row + ".querySelector('td.state').textContent === 'DOWN'", Duration.ofSeconds(10));
			assertThat(instance(slow).get("control").asString()).isEqualTo("DOWN");

			page.evaluate(row + ".querySelector('button[data-action=\"up\"]').click()");
			page.await(row + ".querySelector('td.state').textContent === 'UP'", Duration.ofSeconds(10));
			assertThat(instance(slow).get("state").asString()).isEqualTo("UP");
			assertThat(page.evaluate("document.getElementById('error').textContent").asString()).isEmpty();
		}
	}

	@Test
	void badStatesAndUnknownInstancesGetAClearAnswer() throws Exception {
		HttpResponse<String> badState = this.management.send(post("/actuator/upstreams/bapis/" + slow.authority(),
				"{\"state\":\"sleep\"}"));
		assertThat(badState.statusCode()).isEqualTo(400);
		assertThat(badState.body()).contains("state: 'sleep' (expected: drain, down or up)");
		HttpResponse<String> unknown = this.management.send(post("/actuator/upstreams/bapis/127.0.0.1:1",
				"{\"state\":\"drain\"}"));
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).contains("no instance '127.0.0.1:1' in upstream 'bapis'");
		assertThat(this.management.send(post("/actuator/upstreams/nope/" + slow.authority(), "{\"state\":\"down\"}"))
			.statusCode()).isEqualTo(404);
		assertThat(instance(slow).get("state").asString()).isEqualTo("UP");
		GatewayClient publicClient = new GatewayClient(this.port);
		HttpResponse<String> publicPort = publicClient
			.send(post(publicClient, "/actuator/upstreams/bapis/" + slow.authority(), "{\"state\":\"drain\"}"));
		assertThat(publicPort.headers().firstValue("X-Backend")).as("proxied like any path, never the endpoint")
			.isPresent();
		assertThat(instance(slow).get("state").asString()).as("unchanged by the public port").isEqualTo("UP");
	}

	private HttpResponse<String> set(FakeBackend backend, String state) {
		HttpResponse<String> response = this.management
			.send(post("/actuator/upstreams/bapis/" + backend.authority(), "{\"state\":\"" + state + "\"}"));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response;
	}

	private HttpRequest post(String path, String body) {
		return post(this.management, path, body);
	}

	private static HttpRequest post(GatewayClient client, String path, String body) {
		return client.request(path)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	private JsonNode instance(FakeBackend backend) {
		JsonNode instances = json.readTree(this.management.get("/actuator/upstreams/bapis").body()).get("instances");
		for (JsonNode instance : instances) {
			if (instance.get("uri").asString().equals(backend.uri())) {
				return instance;
			}
		}
		throw new AssertionError("no " + backend.uri() + " in " + instances);
	}

	private String health(FakeBackend backend) {
		return json.readTree(this.management.get("/actuator/health").body())
			.at("/components/upstreams/details/bapis/" + backend.authority().replace("/", "~1"))
			.asString();
	}

	private double stateGauge(FakeBackend backend, String state) {
		return this.meters.get(UpstreamMeterNames.STATE).tag(UpstreamMeterNames.SERVER, backend.authority()).tag("state", state)
			.gauge()
			.value();
	}

	private void awaitInFlight(FakeBackend backend, int atLeast) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (instance(backend).get("inFlight").asInt() < atLeast) {
			assertThat(System.nanoTime()).as("%s in flight at %s", atLeast, backend.uri()).isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	private void awaitState(FakeBackend backend, String state, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!instance(backend).get("state").asString().equals(state)) {
			assertThat(System.nanoTime()).as("%s %s within %s", backend.uri(), state, timeout).isLessThan(deadline);
			Thread.sleep(20);
		}
	}

}
