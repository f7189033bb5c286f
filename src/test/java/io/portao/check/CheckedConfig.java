package io.portao.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.portao.PortaoApplication;
import io.portao.support.TestCertificates;

/**
 * A configuration on disk for the {@code check} command: the contract (two instances, one {@code Path=/**} route)
 * with TLS from a generated certificate and a real static directory, as a {@code .properties} file so that a test
 * can change or add one line; and {@link #check} runs the command in-process.
 */
final class CheckedConfig {

	final Path dir;

	final Map<String, String> properties = new LinkedHashMap<>();

	CheckedConfig(Path dir, int port, int managementPort) throws IOException {
		this.dir = dir;
		Files.createDirectories(dir.resolve("static/static"));
		Files.createDirectories(dir.resolve("ssl"));
		Files.createDirectories(dir.resolve("other"));
		TestCertificates.generate(dir.resolve("ssl"), "cert", "localhost");
		TestCertificates.generate(dir.resolve("other"), "other", "localhost");
		this.properties.put("server.port", String.valueOf(port));
		this.properties.put("management.server.port", String.valueOf(managementPort));
		this.properties.put("server.ssl.bundle", "web");
		this.properties.put("spring.ssl.bundle.pem.web.keystore.certificate", file("ssl/cert.pem"));
		this.properties.put("spring.ssl.bundle.pem.web.keystore.private-key", file("ssl/cert.key"));
		// A second bundle, so that a missing file in one and a mismatched key in the other are found together.
		this.properties.put("spring.ssl.bundle.pem.second.keystore.certificate", file("other/other.pem"));
		this.properties.put("spring.ssl.bundle.pem.second.keystore.private-key", file("other/other.key"));
		this.properties.put("spring.cloud.discovery.client.simple.instances.bapis[0].uri", "http://127.0.0.1:8080");
		this.properties.put("spring.cloud.discovery.client.simple.instances.bapis[1].uri", "http://127.0.0.1:8081");
		this.properties.put("spring.cloud.gateway.server.webflux.routes[0].id", "bapis");
		this.properties.put("spring.cloud.gateway.server.webflux.routes[0].uri", "lb://bapis");
		this.properties.put("spring.cloud.gateway.server.webflux.routes[0].predicates[0]", "Path=/**");
		this.properties.put("spring.web.resources.static-locations", file("static/static") + "/");
	}

	/** A second route, to the same upstream, that no request can match. */
	void addRouteWithoutPredicate() {
		this.properties.put("spring.cloud.gateway.server.webflux.routes[1].id", "nothing");
		this.properties.put("spring.cloud.gateway.server.webflux.routes[1].uri", "lb://bapis");
	}

	/** {@code file:<dir>/<relative>}, as a location property takes it. */
	String file(String relative) {
		return "file:" + this.dir.resolve(relative);
	}

	Path write() throws IOException {
		Path file = this.dir.resolve("checked.properties");
		Files.writeString(file, this.properties.entrySet().stream()
			.map(entry -> entry.getKey() + "=" + entry.getValue())
			.collect(Collectors.joining("\n", "", "\n")));
		return file;
	}

	/** Writes the configuration and checks it in-process, as {@code java -jar portao.jar check} would. */
	Result check() throws IOException {
		return check("--spring.config.additional-location=file:" + write());
	}

	static Result check(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int exitCode = ConfigCheck.run(PortaoApplication.class, args, new PrintStream(out, true, StandardCharsets.UTF_8));
		return new Result(exitCode, out.toString(StandardCharsets.UTF_8).lines().toList());
	}

	/** What the command printed, line by line, and its exit code. */
	record Result(int exitCode, List<String> lines) {
	}

}
