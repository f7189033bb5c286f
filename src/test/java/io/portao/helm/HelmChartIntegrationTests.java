package io.portao.helm;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.portao.helm.PortaoChart.Rendered;
import io.portao.support.FakeBackend;
import io.portao.support.FreePorts;
import io.portao.support.TestCertificates;
import io.portao.support.TestCertificates.Pem;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application.yml the chart renders into its ConfigMap starts the packaged jar ({@code java -jar
 * target/portao-*.jar}) with the Deployment's environment, TLS files laid out as the kubelet mounts a Secret and a
 * static-files volume: it proxies over TLS, answers the probes on the management port, serves static files and
 * redirects plain HTTP. Only ports and instance addresses differ from a cluster: free loopback ports, backends on
 * loopback.
 */
class HelmChartIntegrationTests {

	static final FakeBackend a = FakeBackend.start("chart-a");

	static final FakeBackend b = FakeBackend.start("chart-b");

	@AfterAll
	static void stopBackends() {
		a.close();
		b.close();
	}

	@Test
	void renderedConfigMapStartsTheJarWhichProxiesAndAnswersItsProbes(@TempDir Path dir) throws Exception {
		Pem pem = TestCertificates.generate(Files.createDirectories(dir.resolve("generated")), "cert", "localhost");
		Path tls = secretVolume(dir.resolve("tls"), pem);
		Path www = Files.createDirectories(dir.resolve("www").resolve("static"));
		Files.writeString(www.resolve("hello.txt"), "hello from the static volume\n");
		int http = FreePorts.next();
		int management = FreePorts.next();
		int redirect = FreePorts.next();
		Rendered chart = PortaoChart.render(PortaoChart.write(dir, values(http, management, redirect, tls, dir.resolve("www"), pem)));
		Path config = Files.createDirectories(dir.resolve("config"));
		Files.writeString(config.resolve("application.yml"), chart.applicationYmlText());

		Process gateway = launch(chart.env(), config, dir.resolve("gateway.log"));
		try {
			awaitReady(management, gateway, dir.resolve("gateway.log"));
			HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			assertThat(get(plain, "http://127.0.0.1:" + management + "/actuator/health/liveness").statusCode()).isEqualTo(200);
			HttpResponse<String> readiness = get(plain, "http://127.0.0.1:" + management + "/actuator/health/readiness");
			assertThat(readiness.statusCode()).isEqualTo(200);
			assertThat(readiness.body()).contains("\"UP\"");

			HttpClient https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trusting(pem)).build();
			String base = "https://127.0.0.1:" + http;
			List<String> servers = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				HttpResponse<String> proxied = get(https, base + "/orders/" + i);
				assertThat(proxied.statusCode()).isEqualTo(200);
				servers.add(proxied.headers().firstValue("Server").orElseThrow());
			}
			assertThat(servers).containsExactlyInAnyOrder("chart-a", "chart-b", "chart-a", "chart-b");
			assertThat(get(https, base + "/static/hello.txt").body()).isEqualTo("hello from the static volume\n");

			HttpResponse<String> redirected = get(plain, "http://127.0.0.1:" + redirect + "/orders?id=1");
			assertThat(redirected.statusCode()).isEqualTo(308);
			assertThat(redirected.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("https://"));
		}
		finally {
			gateway.destroy();
			assertThat(gateway.waitFor(40, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
		}
	}

	private static String values(int http, int management, int redirect, Path tls, Path www, Pem pem) throws IOException {
		return """
				containerPorts: {http: %d, management: %d}
				upstreams:
				  bapis:
				    instances: [{uri: "%s"}, {uri: "%s"}]
				routes: [{id: bapis, uri: "lb://bapis", predicates: ["Path=/**"]}]
				staticFiles: {volume: {emptyDir: {}}, mountPath: "%s"}
				tls:
				  enabled: true
				  mountPath: "%s"
				  redirect: {enabled: true, containerPort: %d}
				  certificate: |
				%s
				  privateKey: |
				%s
				""".formatted(http, management, a.uri(), b.uri(), www, tls, redirect,
				indent(Files.readString(pem.certificateFile())), indent(Files.readString(pem.privateKeyFile())));
	}

	private static String indent(String pem) {
		return pem.strip().lines().map(line -> "    " + line).reduce((x, y) -> x + "\n" + y).orElseThrow();
	}

	/**
	 * The kubelet's layout of a Secret volume: {@code tls.crt -> ..data/tls.crt}, {@code ..data -> ..<timestamp>}
	 * (the directory an update swaps atomically).
	 */
	private static Path secretVolume(Path dir, Pem pem) throws IOException {
		Path version = Files.createDirectories(dir.resolve("..2026_11_25_12_00_00.000000001"));
		Files.copy(pem.certificateFile(), version.resolve("tls.crt"));
		Files.copy(pem.privateKeyFile(), version.resolve("tls.key"));
		Files.createSymbolicLink(dir.resolve("..data"), version.getFileName());
		Files.createSymbolicLink(dir.resolve("tls.crt"), Path.of("..data", "tls.crt"));
		Files.createSymbolicLink(dir.resolve("tls.key"), Path.of("..data", "tls.key"));
		return dir;
	}

	/** {@code java -jar} with the Deployment's environment; its {@code /config/} is the rendered ConfigMap's copy. */
	private static Process launch(Map<String, String> env, Path config, Path log) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", jar().toString());
		env.forEach((name, value) -> builder.environment().put(name, value.replace("/config/", config + "/")));
		assertThat(builder.environment()).containsEntry("SPRING_CONFIG_ADDITIONAL_LOCATION", "optional:file:" + config + "/");
		return builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	private static Path jar() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter(f -> f.getFileName().toString().matches("portao-.*\\.jar")).findFirst()
				.orElseThrow(() -> new IllegalStateException("run after 'package': no target/portao-*.jar"));
		}
	}

	private static void awaitReady(int management, Process gateway, Path log) throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (System.nanoTime() < deadline) {
			assertThat(gateway.isAlive()).as("gateway alive: %s", Files.readString(log)).isTrue();
			try {
				if (get(client, "http://127.0.0.1:" + management + "/actuator/health/readiness").statusCode() == 200) {
					return;
				}
			}
			catch (IOException notYet) {
				// Not listening yet.
			}
			Thread.sleep(250);
		}
		throw new AssertionError("not ready within 90 s: " + Files.readString(log));
	}

	private static HttpResponse<String> get(HttpClient client, String uri) throws IOException, InterruptedException {
		return client.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static SSLContext trusting(Pem pem) throws Exception {
		KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
		store.load(null, null);
		store.setCertificateEntry("portao", pem.certificate());
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(store);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

}
