package io.portao.reload;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.portao.support.FakeBackend;
import io.portao.support.FreePorts;
import io.portao.support.GatewayClient;
import io.portao.support.KeepAliveLoad;
import io.portao.support.NginxProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference for {@link ReloadIntegrationTests}: the same edits under the same load (four keep-alive clients)
 * applied to nginx with {@code nginx -s reload}. nginx is the oracle for "zero failed requests": an instance
 * added takes requests, one removed stops, a static location added serves, a broken edit is refused and the old
 * configuration serves on.
 */
class NginxReloadReferenceIntegrationTests {

	@TempDir
	static Path dir;

	static final FakeBackend a = FakeBackend.start("a");

	static final FakeBackend b = FakeBackend.start("b");

	static final FakeBackend c = FakeBackend.start("c");

	static final int PORT = FreePorts.next();

	static NginxProcess nginx;

	@BeforeAll
	static void start() throws Exception {
		NginxProcess.assumeInstalled();
		Files.createDirectories(dir.resolve("public"));
		Files.writeString(dir.resolve("public/app.css"), "body { color: red; }\n");
		nginx = NginxProcess.startSite(Files.createDirectories(dir.resolve("nginx")), site(List.of(a, b), ""), PORT);
	}

	@AfterAll
	static void stop() {
		if (nginx != null) {
			nginx.close();
		}
		List.of(a, b, c).forEach(FakeBackend::close);
	}

	static String site(List<FakeBackend> instances, String bParameters) {
		return site(instances, bParameters, false);
	}

	/** As above, with the static location {@code /assets/} or not. */
	static String site(List<FakeBackend> instances, String bParameters, boolean assets) {
		StringBuilder site = new StringBuilder("upstream bapis {\n");
		for (FakeBackend instance : instances) {
			site.append("    server 127.0.0.1:").append(instance.port())
				.append((instance == b) ? bParameters : "").append(";\n");
		}
		site.append("    keepalive 16;\n}\n");
		site.append("server {\n    listen 127.0.0.1:").append(PORT).append(";\n");
		if (assets) {
			site.append("    location /assets/ {\n        alias ").append(dir.resolve("public")).append("/;\n")
				.append("        expires 1h;\n    }\n");
		}
		site.append("    location / {\n")
			.append("        proxy_pass http://bapis;\n        proxy_http_version 1.1;\n")
			.append("        proxy_set_header Connection \"\";\n        proxy_set_header Host $host;\n    }\n}\n");
		return site.toString();
	}

	@Test
	void nginxReloadsUnderLoadWithoutAFailedRequestAndRefusesABrokenEdit() throws Exception {
		KeepAliveLoad load = KeepAliveLoad.start(PORT, 4, "/load/", Duration.ofMillis(5), 100_000, Duration.ofMinutes(2));
		KeepAliveLoad.Result result;
		try {
			awaitTrue("traffic on a and b", () -> load.receivedBy(a) > 10 && load.receivedBy(b) > 10);
			nginx.reload(site(List.of(a, b, c), ""));
			awaitTrue("the added instance c takes requests", () -> load.receivedBy(c) > 10);
			nginx.reload(site(List.of(b, c), ""));
			Thread.sleep(1000);
			int aAfterRemoval = load.receivedBy(a);
			Thread.sleep(1500);
			assertThat(load.receivedBy(a)).as("no request to the removed instance").isEqualTo(aAfterRemoval);
			nginx.reload(site(List.of(b, c), "", true));
			GatewayClient probe = new GatewayClient(PORT);
			awaitTrue("the added static location serves", () -> probe.get("/assets/app.css").statusCode() == 200
					&& probe.get("/assets/app.css").headers().firstValue("Cache-Control").orElse("").equals("max-age=3600"));
			nginx.reload(site(List.of(b, c), " weight=0", true));
			awaitTrue("the broken edit refused", () -> log().contains("invalid parameter \"weight=0\""));
			int cBefore = load.receivedBy(c);
			Thread.sleep(1000);
			assertThat(load.receivedBy(c)).as("the old configuration serves on").isGreaterThan(cBefore);
		}
		finally {
			result = load.stop();
		}
		assertThat(result.failures()).as("failed requests across nginx's reloads").isEmpty();
		assertThat(result.answered()).isGreaterThan(100);
	}

	private static String log() {
		try {
			return nginx.log();
		}
		catch (java.io.IOException ex) {
			return "";
		}
	}

	private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as(what + "; nginx log: " + log()).isLessThan(deadline);
			Thread.sleep(100);
		}
	}

}
