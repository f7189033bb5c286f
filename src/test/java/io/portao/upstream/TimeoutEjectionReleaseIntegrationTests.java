package io.portao.upstream;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first timeout of a frozen instance releases the GETs already waiting on it ({@link TimeoutEjectionRelease}):
 * requests that reached it spread over its response timeout are passed on when the first of them times out, not
 * each at its own timeout as in nginx.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0",
				"spring.cloud.gateway.server.webflux.httpclient.response-timeout=2s" })
class TimeoutEjectionReleaseIntegrationTests {

	static final long TIMEOUT_MILLIS = 2000;

	static final FakeBackend frozen = FakeBackend.start("frozen");

	static final FakeBackend steady = FakeBackend.start("steady");

	/** When the frozen instance received each request, by request id, epoch millis. */
	static final Map<String, Long> reachedFrozen = new ConcurrentHashMap<>();

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.register(registry, frozen, steady);
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() {
		frozen.close();
		steady.close();
	}

	/**
	 * A GET every 100 ms for 1.8 s, half of them to the frozen instance. Each is answered 200 by the steady one.
	 * Those that reached the frozen instance at least 1 s after the first are answered long before their own
	 * timeout: when the first one's timeout fires (and, without the release, each would take the timeout plus
	 * the retry, over 2 s).
	 */
	@Test
	void theFirstTimeoutReleasesTheRequestsWaitingOnTheInstance() throws Exception {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		// A cold gateway takes longer than 100 ms for its first requests, which would then reach the instance together.
		for (int i = 0; i < 20; i++) {
			client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/warm")).build(),
					HttpResponse.BodyHandlers.discarding());
		}
		frozen.handler((request, response) -> {
			reachedFrozen.put(request.requestHeaders().get("X-Request-Id"), System.currentTimeMillis());
			return Mono.never();
		});
		List<Sent> sent = new ArrayList<>();
		for (int i = 0; i < 18; i++) {
			String id = "r" + i;
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/x/" + id))
				.header("X-Request-Id", id)
				.timeout(Duration.ofSeconds(20))
				.build();
			long at = System.currentTimeMillis();
			sent.add(new Sent(id, at, client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
				.thenApply(response -> new Answer(response.statusCode(), System.currentTimeMillis()))));
			Thread.sleep(100);
		}
		for (Sent request : sent) {
			Answer answer = request.answer.get(30, TimeUnit.SECONDS);
			assertThat(answer.status).as(request.id).isEqualTo(200);
		}
		long firstAtFrozen = reachedFrozen.values().stream().mapToLong(Long::longValue).min().orElseThrow();
		System.out.println("reached the frozen instance (ms after the first): "
				+ reachedFrozen.values().stream().map(at -> at - firstAtFrozen).sorted().toList());
		assertThat(reachedFrozen).as("requests that reached the frozen instance").hasSizeGreaterThanOrEqualTo(6);
		int late = 0;
		for (Sent request : sent) {
			Long at = reachedFrozen.get(request.id);
			if (at == null || at - firstAtFrozen < 1000) {
				continue;
			}
			late++;
			long took = request.answer.get().at - request.at;
			assertThat(took).as("%s reached the frozen instance %d ms after the first and took %d ms", request.id,
					at - firstAtFrozen, took).isLessThan(TIMEOUT_MILLIS - 300);
		}
		assertThat(late).as("requests that reached the frozen instance 1 s or more after the first").isPositive();
	}

	record Sent(String id, long at, CompletableFuture<Answer> answer) {
	}

	record Answer(int status, long at) {
	}

}
