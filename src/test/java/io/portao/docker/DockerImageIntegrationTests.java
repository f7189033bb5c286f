package io.portao.docker;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import com.github.dockerjava.api.model.Bind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.FreePorts;
import io.portao.support.GatewayClient;
import io.portao.support.TestCertificates;
import io.portao.tls.TlsTestClients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The image built from the top-level Dockerfile, run as a user runs it: host networking, the contract YAML mounted
 * at {@code /config/application.yml}, static files and TLS PEM files mounted read-only, two backends on loopback in
 * this JVM, {@code JAVA_OPTS} and an argument after the image's name. It proxies over TLS, serves the mounted static
 * files, redirects plain HTTP (on the port the argument names), answers health on the management port, runs the
 * Java its base names with the archive its build wrote and the Serial collector with {@code JAVA_OPTS} after its own
 * flags, and {@code docker stop} with 50 requests in flight lets every one of them finish.
 *
 * <p>Ordered because the last case stops the container.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerImageIntegrationTests {

	/**
	 * More than {@code spring.lifecycle.timeout-per-shutdown-phase} (30 s): Docker's default of 10 s would SIGKILL
	 * requests still in flight. docs/docker.md tells users the same.
	 */
	static final int STOP_TIMEOUT_SECONDS = 35;

	static final int IN_FLIGHT = 50;

	/** The heap's share of memory this test asks for with {@code JAVA_OPTS}, against the image's 50 %. */
	static final int JAVA_OPTS_HEAP_PERCENT = 30;

	static final String CSS = "body { color: #333; }\n";

	@TempDir
	static Path tmp;

	static FakeBackend a;

	static FakeBackend b;

	static TestCertificates.Pem pem;

	static final int tlsPort = FreePorts.next();

	static final int redirectPort = FreePorts.next();

	static final int managementPort = FreePorts.next();

	static GenericContainer<?> gateway;

	static HttpClient client;

	@BeforeAll
	static void startGateway() throws IOException {
		if (!DockerEngine.available()) {
			return;
		}
		a = FakeBackend.start("image-a");
		b = FakeBackend.start("image-b");
		List<Bind> mounts = writeMountedFolders();
		gateway = new GenericContainer<>(PortaoImage.fromDockerfile())
			.withNetworkMode("host")
			// Changes one of the image's own flags (MaxRAMPercentage=50): JAVA_OPTS comes after them.
			.withEnv("JAVA_OPTS", "-XX:MaxRAMPercentage=" + JAVA_OPTS_HEAP_PERCENT)
			// Arguments after the image's name reach the application (redirectsPlainHttpToTheTlsPort needs this one).
			.withCommand("--portao.tls.redirect-port=" + redirectPort)
			// Plain binds: Testcontainers' withFileSystemBind first checks mounts with an image it would pull.
			.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withBinds(mounts))
			.waitingFor(Wait.forLogMessage(".*Started PortaoApplication.*", 1).withStartupTimeout(Duration.ofMinutes(3)));
		long start = System.nanoTime();
		gateway.start();
		System.out.printf("image built and container started in %d ms%n", (System.nanoTime() - start) / 1_000_000);
		// 50 TLS handshakes at once with a cold JVM on 2 shared cores can take longer than the usual 5 s: the
		// handshakes are not what is measured here.
		client = HttpClient.newBuilder()
			.sslContext(TlsTestClients.trusting(pem.certificate()))
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(30))
			.build();
	}

	@BeforeEach
	void engine() {
		DockerEngine.assumeAvailable();
	}

	@AfterAll
	static void stopAll() {
		if (gateway != null) {
			gateway.stop();
			PortaoImage.removeUntaggedBuilds();
		}
		if (a != null) {
			a.close();
			b.close();
		}
	}

	/** The contract pointed at the backends, then TLS from the mounted PEM files, as README's bapi-ssl.conf. */
	static String configuration() {
		return ContractProperties.yaml(tlsPort, List.of(a.uri(), b.uri())) + """
				---
				server:
				  ssl:
				    bundle: web
				spring:
				  ssl:
				    bundle:
				      pem:
				        web:
				          keystore:
				            certificate: file:/var/www/ssl/cert.pem
				            private-key: file:/var/www/ssl/cert.key
				management:
				  server:
				    port: %d
				""".formatted(managementPort);
	}

	@Test
	@Order(1)
	void proxiesOverTlsToEveryInstanceInTurn() throws Exception {
		HttpResponse<String> first = get("/first");
		HttpResponse<String> second = get("/second");
		assertThat(List.of(first.statusCode(), second.statusCode())).containsOnly(200);
		assertThat(List.of(server(first), server(second))).containsExactlyInAnyOrder("image-a", "image-b");
		assertThat(FakeBackend.Echo.parse(first.body()).header("X-Scheme")).isEqualTo("https");
		// netty-tcnative's BoringSSL loads from the read-only image (extracted to /tmp): not the JDK's fallback.
		assertThat(gateway.getLogs()).contains("TLS engine: OpenSSL (BoringSSL").doesNotContain("TLS engine: the JDK");
	}

	@Test
	@Order(2)
	void servesStaticFilesFromTheMountedFolder() throws Exception {
		HttpResponse<String> response = get("/static/app.css");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(CSS);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/css");
	}

	/** The redirect port comes from an argument after the image's name, which the ENTRYPOINT hands on. */
	@Test
	@Order(3)
	void redirectsPlainHttpToTheTlsPort() {
		HttpResponse<String> response = new GatewayClient(redirectPort).get("/a?b=1");
		assertThat(response.statusCode()).isEqualTo(308);
		assertThat(response.headers().firstValue("Location")).hasValue("https://127.0.0.1:" + tlsPort + "/a?b=1");
	}

	@Test
	@Order(4)
	void answersHealthOnTheManagementPort() {
		HttpResponse<String> health = new GatewayClient(managementPort).get("/actuator/health/readiness");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"");
	}

	/** The image says what it is, under which licence and where its source is (OCI annotations as labels). */
	@Test
	@Order(4)
	void carriesTheOciLicenceAndSourceLabels() {
		java.util.Map<String, String> labels = gateway.getDockerClient()
			.inspectImageCmd(gateway.getDockerImageName())
			.exec()
			.getConfig()
			.getLabels();
		assertThat(labels).containsEntry("org.opencontainers.image.licenses", "Apache-2.0")
			.containsEntry("org.opencontainers.image.title", "Portão")
			.containsKey("org.opencontainers.image.source");
	}

	/**
	 * The image runs the Java its base image's tag names (25 in CI) with the class-data-sharing archive its build
	 * wrote (docs/performance.md "Start-up"): on Java 25 the AOT cache (JEP 483/514/515), on Java 17 a dynamic CDS
	 * archive. The ENTRYPOINT's argument file names it, and the running JVM has it mapped, which it does only with an
	 * archive it validated. Java 23+ also gets Unsafe's memory access back for Netty (JEP 471/498).
	 */
	@Test
	@Order(4)
	void runsTheBaseImagesJavaWithTheArchiveWrittenAtBuildTime() throws Exception {
		ImageJvm jvm = new ImageJvm(gateway);
		int version = jvm.featureVersion();
		PortaoImage.expectedJavaVersion().ifPresent(expected -> assertThat(version).as("Java of the image").isEqualTo(expected));
		String archive = version >= 25 ? "/app/portao.aot" : "/app/portao.jsa";
		List<String> args = jvm.argumentFile();
		assertThat(args).contains(version >= 25 ? "-XX:AOTCache=" + archive : "-XX:SharedArchiveFile=" + archive);
		if (version >= 23) {
			assertThat(args).contains("--sun-misc-unsafe-memory-access=allow");
		}
		assertThat(jvm.mappedFiles()).as("files the JVM mapped").contains(archive);
	}

	/**
	 * The image asks for Spring AOT's build-time bean definitions, and this test's configuration (TLS, a redirect
	 * port) has conditions the build decided otherwise: the start-up guard says which, and the start goes without
	 * them, so that TLS and the redirect (the cases above) are this configuration's.
	 */
	@Test
	@Order(4)
	void startsWithoutSpringAotWhenTheMountedConfigurationDecidesAConditionOtherwise() throws Exception {
		assertThat(new ImageJvm(gateway).argumentFile()).contains("-Dspring.aot.enabled=true");
		assertThat(gateway.getLogs()).contains("Spring AOT turned off for this start")
			.contains("OnPropertyCondition on io.portao.tls.TlsConfiguration#httpRedirectServer: false at build time, true now")
			.doesNotContain("AOT-processed");
	}

	/**
	 * The image's JVM runs the Serial collector (its old generation is the "Tenured Gen" pool) and {@code JAVA_OPTS}
	 * changes a flag the image sets: the heap's ceiling is the 30 % of the memory it asks for, not the image's 50 %
	 * (JAVA_TOOL_OPTIONS, read before the command line, could not do that). Serial's pools add up to the heap less
	 * one survivor space, about 97 % of it.
	 */
	@Test
	@Order(4)
	void runsTheSerialCollectorAndJavaOptsChangeTheImagesFlags() throws Exception {
		String metrics = new GatewayClient(managementPort).get("/actuator/prometheus").body();
		assertThat(metrics).contains("id=\"Tenured Gen\"").doesNotContain("id=\"G1 Old Gen\"");
		double heapMax = metrics.lines()
			.filter(line -> line.startsWith("jvm_memory_max_bytes{") && line.contains("area=\"heap\""))
			.mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
		double share = heapMax / new ImageJvm(gateway).physicalMemoryBytes();
		assertThat(share).as("heap ceiling / memory").isBetween(JAVA_OPTS_HEAP_PERCENT * 0.9 / 100,
				JAVA_OPTS_HEAP_PERCENT * 1.02 / 100);
	}

	/**
	 * When the kernel offers transparent huge pages (mode {@code madvise} or {@code always}), the ENTRYPOINT asks
	 * for them and the JVM's heap is in them; when it does not ({@code never}), the flag is left out, so that the
	 * JVM does not warn at every start.
	 */
	@Test
	@Order(4)
	void putsTheHeapInTransparentHugePagesWhenTheKernelOffersThem() throws Exception {
		ImageJvm jvm = new ImageJvm(gateway);
		String mode = jvm.transparentHugePageMode();
		if (mode.equals("never")) {
			assertThat(jvm.commandLine()).doesNotContain("-XX:+UseTransparentHugePages");
		}
		else {
			assertThat(jvm.commandLine()).as("THP mode %s", mode).contains("-XX:+UseTransparentHugePages");
			assertThat(jvm.anonHugePagesKiB()).as("AnonHugePages of the JVM, THP mode %s", mode).isPositive();
		}
		assertThat(gateway.getLogs()).doesNotContain("UseTransparentHugePages disabled");
	}

	/**
	 * 50 connections each wait for a backend that answers only once the gateway has begun its graceful shutdown,
	 * one second later: all of them get their whole answer, new connections are refused meanwhile, and the JVM
	 * exits on its own well before Docker's SIGKILL.
	 */
	@Test
	@Order(5)
	void dockerStopLetsEveryInFlightRequestFinish() throws Exception {
		Sinks.Empty<Void> shutdownBegun = Sinks.empty();
		for (FakeBackend backend : List.of(a, b)) {
			backend.clear();
			backend.handler((request, response) -> shutdownBegun.asMono()
				.then(Mono.delay(Duration.ofSeconds(1)))
				.then(response.sendString(Mono.just("slow " + request.uri())).then()));
		}
		List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, IN_FLIGHT)
			.mapToObj(i -> client.sendAsync(request("/slow/" + i), HttpResponse.BodyHandlers.ofString()))
			.toList();
		awaitArrived(IN_FLIGHT, responses);
		CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> DockerClientFactory.instance().client()
			.stopContainerCmd(gateway.getContainerId()).withTimeout(STOP_TIMEOUT_SECONDS).exec());
		awaitLog("Commencing graceful shutdown");
		assertThatExceptionOfType(ConnectException.class).as("new connections refused while draining")
			.isThrownBy(() -> new Socket("127.0.0.1", tlsPort).close());
		shutdownBegun.tryEmitEmpty();
		for (int i = 0; i < IN_FLIGHT; i++) {
			HttpResponse<String> response = responses.get(i).get(30, TimeUnit.SECONDS);
			assertThat(response.statusCode()).as(() -> response.body() + "\n" + gateway.getLogs()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("slow /slow/" + i);
		}
		stop.get(STOP_TIMEOUT_SECONDS + 30, TimeUnit.SECONDS);
		ContainerState state = gateway.getCurrentContainerInfo().getState();
		assertThat(state.getRunning()).isFalse();
		// 143 = 128 + SIGTERM: the JVM ended through its shutdown hooks, not Docker's SIGKILL (137).
		assertThat(state.getExitCodeLong()).as(gateway.getLogs()).isEqualTo(143L);
		assertThat(gateway.getLogs()).contains("Graceful shutdown complete").doesNotContain("Graceful shutdown aborted");
	}

	private static void awaitArrived(int count, List<CompletableFuture<HttpResponse<String>>> responses)
			throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (a.requestCount() + b.requestCount() < count) {
			assertThat(responses).as("no request failed before the stop").noneMatch(CompletableFuture::isCompletedExceptionally);
			assertThat(System.nanoTime()).as("%d requests reached the backends, %d did: %s", count,
					a.requestCount() + b.requestCount(), gateway.getLogs()).isLessThan(deadline);
			Thread.sleep(50);
		}
	}

	private static void awaitLog(String line) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!gateway.getLogs().contains(line)) {
			assertThat(System.nanoTime()).as("'%s' logged: %s", line, gateway.getLogs()).isLessThan(deadline);
			Thread.sleep(100);
		}
	}

	private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return client.send(request(path), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest request(String path) {
		return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tlsPort + path))
			.timeout(Duration.ofSeconds(60))
			.build();
	}

	private static String server(HttpResponse<String> response) {
		return response.headers().firstValue("Server").orElseThrow();
	}

	/**
	 * The configuration, a static root and the PEM files, in folders the container's non-root user (UID 10001)
	 * can read, as a user's mounted folders are; returned as read-only mounts at the paths the configuration uses.
	 */
	private static List<Bind> writeMountedFolders() throws IOException {
		Path config = Files.createDirectory(tmp.resolve("config"));
		Files.writeString(config.resolve("application.yml"), configuration());
		Path root = Files.createDirectory(tmp.resolve("www"));
		Files.createDirectories(root.resolve("static"));
		Files.writeString(root.resolve("static/app.css"), CSS);
		Path ssl = Files.createDirectory(tmp.resolve("ssl"));
		pem = TestCertificates.generate(ssl, "cert", "localhost");
		HostFolders.readableByAll(tmp, config, root, root.resolve("static"), ssl);
		return List.of(HostFolders.readOnly(config, "/config"), HostFolders.readOnly(root, "/var/www/static"),
				HostFolders.readOnly(ssl, "/var/www/ssl"));
	}

}
