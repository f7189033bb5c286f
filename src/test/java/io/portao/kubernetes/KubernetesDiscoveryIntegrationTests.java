package io.portao.kubernetes;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.FakeBackend;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code kubernetes} profile: the instances of {@code lb://bapis} are the addresses of Service {@code bapis}'s
 * Endpoints, watched on a Kubernetes API server (fabric8's mock in CRUD mode, on loopback). While clients keep
 * sending requests, an address removed from the Endpoints stops receiving them, an added one starts, and no
 * request fails, not even those in flight at the removed instance when it was removed.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0",
				// What KUBERNETES_SERVICE_HOST/PORT tell Spring in a pod.
				"spring.main.cloud-platform=kubernetes", "logging.level.io.fabric8.mockwebserver=warn" })
@ActiveProfiles("kubernetes")
class KubernetesDiscoveryIntegrationTests {

	static final String NAMESPACE = "shop";

	static final String SERVICE = "bapis";

	static final KubernetesMockServer api = startApi();

	static final KubernetesClient kubernetes = api.createClient();

	// Pods of one Service: one address each, all on the Service's target port, as the endpoints controller lists them.
	static final FakeBackend a = FakeBackend.start("pod-a", "127.0.0.2", 0).delay(Duration.ofMillis(20));

	static final FakeBackend b = pod("pod-b", "127.0.0.3");

	static final FakeBackend c = pod("pod-c", "127.0.0.4");

	// Upstream `legacy` is listed statically and is also a Service: the static list wins.
	static final FakeBackend staticLegacy = FakeBackend.start("static-legacy");

	static final FakeBackend podLegacy = FakeBackend.start("pod-legacy", "127.0.0.5", a.port());

	static {
		createService(SERVICE);
		kubernetes.endpoints().inNamespace(NAMESPACE).resource(endpoints(SERVICE, a, b)).create();
		createService("legacy");
		kubernetes.endpoints().inNamespace(NAMESPACE).resource(endpoints("legacy", podLegacy)).create();
	}

	private static void createService(String name) {
		kubernetes.services().inNamespace(NAMESPACE).resource(new ServiceBuilder().withNewMetadata()
			.withName(name).withNamespace(NAMESPACE).endMetadata()
			.withNewSpec().withType("ClusterIP").addNewPort().withName("http").withPort(80).endPort().endSpec()
			.build()).create();
	}

	@DynamicPropertySource
	static void kubernetesApi(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.kubernetes.client.master-url", () -> kubernetes.getConfiguration().getMasterUrl());
		registry.add("spring.cloud.kubernetes.client.namespace", () -> NAMESPACE);
		registry.add("spring.cloud.kubernetes.discovery.namespaces[0]", () -> NAMESPACE);
		registry.add("spring.cloud.discovery.client.simple.instances.legacy[0].uri", staticLegacy::uri);
		registry.add("spring.cloud.gateway.server.webflux.routes[0].id", () -> "legacy");
		registry.add("spring.cloud.gateway.server.webflux.routes[0].uri", () -> "lb://legacy");
		registry.add("spring.cloud.gateway.server.webflux.routes[0].predicates[0]", () -> "Path=/legacy/**");
		registry.add("spring.cloud.gateway.server.webflux.routes[1].id", () -> SERVICE);
		registry.add("spring.cloud.gateway.server.webflux.routes[1].uri", () -> "lb://" + SERVICE);
		registry.add("spring.cloud.gateway.server.webflux.routes[1].predicates[0]", () -> "Path=/**");
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stopAll() {
		a.close();
		b.close();
		c.close();
		staticLegacy.close();
		podLegacy.close();
		kubernetes.close();
		api.destroy();
	}

	private static KubernetesMockServer startApi() {
		KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
				new KubernetesCrudDispatcher(), false);
		server.init(InetAddress.getLoopbackAddress(), 0);
		return server;
	}

	private static FakeBackend pod(String name, String ip) {
		return FakeBackend.start(name, ip, a.port()).delay(Duration.ofMillis(20));
	}

	/** Endpoints as the endpoints controller writes them: one subset, a ready address per pod, the target port. */
	static Endpoints endpoints(FakeBackend... pods) {
		return endpoints(SERVICE, pods);
	}

	static Endpoints endpoints(String service, FakeBackend... pods) {
		EndpointSubsetBuilder subset = new EndpointSubsetBuilder();
		for (FakeBackend pod : pods) {
			subset.addNewAddress().withIp(java.net.URI.create(pod.uri()).getHost())
				.withNewTargetRef().withKind("Pod").withName(pod.name()).withNamespace(NAMESPACE).endTargetRef()
				.endAddress();
		}
		subset.addNewPort().withName("http").withPort(a.port()).withProtocol("TCP").endPort();
		return new EndpointsBuilder().withNewMetadata().withName(service).withNamespace(NAMESPACE).endMetadata()
			.withSubsets(subset.build()).build();
	}

	@Test
	void followsEndpointChangesDuringTrafficWithoutFailedRequests() throws Exception {
		Traffic traffic = new Traffic(new GatewayClient(this.port), 4);
		try {
			awaitThat(() -> traffic.count(a) > 20 && traffic.count(b) > 20, "both pods of the Endpoints get requests");
			Map<String, Integer> before = traffic.countsOver(Duration.ofSeconds(2));
			assertThat(before.getOrDefault("pod-a", 0)).isPositive();
			assertThat(before.getOrDefault("pod-b", 0)).isPositive();
			assertThat(before).doesNotContainKey("pod-c");

			// The pod behind b is terminating: its address leaves the Endpoints while requests are in flight at it;
			// like a pod in its preStop delay, it still answers them.
			long removed = System.nanoTime();
			kubernetes.endpoints().inNamespace(NAMESPACE).resource(endpoints(a)).update();
			awaitThat(() -> traffic.quietFor(b, Duration.ofMillis(1500)), "b gets no new requests");
			long lastAtB = (traffic.lastAnswerNanos(b) - removed) / 1_000_000;
			Map<String, Integer> afterRemoval = traffic.countsOver(Duration.ofSeconds(2));
			assertThat(afterRemoval).containsOnlyKeys("pod-a");
			// The pod exits.
			b.stop();

			kubernetes.endpoints().inNamespace(NAMESPACE).resource(endpoints(a, c)).update();
			awaitThat(() -> traffic.count(c) > 20, "c, added to the Endpoints, gets requests");
			Map<String, Integer> afterAddition = traffic.countsOver(Duration.ofSeconds(2));
			assertThat(afterAddition).containsOnlyKeys("pod-a", "pod-c");

			traffic.stop();
			System.out.printf("kubernetes discovery: before %s, after removing b %s (last answer from b %d ms after "
					+ "the update), after adding c %s, %d requests, %d failed%n", before, afterRemoval, lastAtB,
					afterAddition, traffic.total(), traffic.failures());
			assertThat(traffic.failureMessages()).isEmpty();
			assertThat(traffic.total()).isGreaterThan(200);
		}
		finally {
			traffic.stop();
		}
	}

	@Test
	void staticInstancesOfAnUpstreamWinOverTheServiceOfTheSameName() {
		GatewayClient client = new GatewayClient(this.port);
		for (int i = 0; i < 10; i++) {
			assertThat(client.get("/legacy/" + i).headers().firstValue("Server")).hasValue("static-legacy");
		}
		assertThat(podLegacy.requestCount()).isZero();
	}

	private static void awaitThat(BooleanSupplier condition, String what) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("within 20 s: " + what).isLessThan(deadline);
			Thread.sleep(50);
		}
	}

	/**
	 * Clients sending GETs back to back through the gateway, counting answers per pod (the {@code Server} header)
	 * and failures, bounded to 60 s and 20000 requests.
	 */
	static final class Traffic {

		static final int WINDOW_ANSWERS = 20;

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();

		private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

		private final AtomicInteger total = new AtomicInteger();

		private final Map<String, Long> lastAnswerNanos = new ConcurrentHashMap<>();

		private final ExecutorService clients;

		private final List<Future<?>> loops = new ArrayList<>();

		Traffic(GatewayClient gateway, int concurrency) {
			this.clients = Executors.newFixedThreadPool(concurrency);
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			for (int i = 0; i < concurrency; i++) {
				this.loops.add(this.clients.submit(() -> loop(gateway, deadline)));
			}
		}

		private void loop(GatewayClient gateway, long deadline) {
			while (this.running.get() && System.nanoTime() < deadline && this.total.get() < 20_000) {
				int n = this.total.incrementAndGet();
				try {
					HttpResponse<String> response = gateway.get("/r" + n);
					String pod = response.headers().firstValue("Server").orElse("none");
					if (response.statusCode() != 200) {
						this.failures.add(n + ": " + response.statusCode() + " " + response.body());
						continue;
					}
					this.answers.computeIfAbsent(pod, p -> new AtomicInteger()).incrementAndGet();
					this.lastAnswerNanos.put(pod, System.nanoTime());
				}
				catch (RuntimeException ex) {
					this.failures.add(n + ": " + ex);
				}
			}
		}

		int count(FakeBackend pod) {
			AtomicInteger count = this.answers.get(pod.name());
			return (count != null) ? count.get() : 0;
		}

		long lastAnswerNanos(FakeBackend pod) {
			return this.lastAnswerNanos.getOrDefault(pod.name(), 0L);
		}

		boolean quietFor(FakeBackend pod, Duration quiet) {
			Long last = this.lastAnswerNanos.get(pod.name());
			return last == null || System.nanoTime() - last > quiet.toNanos();
		}

		/**
		 * Answers per pod within the next {@code window}, which must have seen at least {@value #WINDOW_ANSWERS}:
		 * the control of a test that a pod got none, since a pod still balanced to would have had its share.
		 */
		Map<String, Integer> countsOver(Duration window) throws InterruptedException {
			Map<String, Integer> start = snapshot();
			Thread.sleep(window.toMillis());
			Map<String, Integer> delta = new java.util.TreeMap<>();
			snapshot().forEach((pod, count) -> {
				int d = count - start.getOrDefault(pod, 0);
				if (d > 0) {
					delta.put(pod, d);
				}
			});
			assertThat(delta.values().stream().mapToInt(Integer::intValue).sum())
				.as("answers within %s: %s", window, delta).isGreaterThanOrEqualTo(WINDOW_ANSWERS);
			return delta;
		}

		private Map<String, Integer> snapshot() {
			Map<String, Integer> counts = new HashMap<>();
			this.answers.forEach((pod, count) -> counts.put(pod, count.get()));
			return counts;
		}

		int total() {
			return this.answers.values().stream().mapToInt(AtomicInteger::get).sum() + this.failures.size();
		}

		int failures() {
			return this.failures.size();
		}

		List<String> failureMessages() {
			return List.copyOf(this.failures);
		}

		void stop() throws InterruptedException {
			this.running.set(false);
			this.clients.shutdown();
			if (!this.clients.awaitTermination(40, TimeUnit.SECONDS)) {
				this.clients.shutdownNow();
			}
		}

	}

}
