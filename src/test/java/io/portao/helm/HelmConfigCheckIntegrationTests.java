package io.portao.helm;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.portao.PortaoApplication;
import io.portao.check.ConfigCheck;
import io.portao.support.TestCertificates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code application.yml} the chart generates for each {@code ci/*-values.yaml} scenario passes
 * {@code check}, with the pod's profile: no property the chart writes is unknown, of the wrong type or refused.
 * The TLS and static mount paths point at a temporary tree with a generated certificate and a static directory.
 */
class HelmConfigCheckIntegrationTests {

	@TempDir
	Path dir;

	static List<String> scenarios() {
		return PortaoChart.scenarios();
	}

	@ParameterizedTest
	@MethodSource("scenarios")
	void generatedConfigurationIsOk(String scenario) throws Exception {
		Files.createDirectories(this.dir.resolve("tls"));
		Files.createDirectories(this.dir.resolve("www/static"));
		TestCertificates.Pem pem = TestCertificates.generate(this.dir.resolve("tls"), "tls", "localhost");
		Files.move(pem.certificateFile(), this.dir.resolve("tls/tls.crt"));
		Path mounts = PortaoChart.write(this.dir, "tls:\n  mountPath: " + this.dir.resolve("tls")
				+ "\nstaticFiles:\n  mountPath: " + this.dir.resolve("www") + "\n");
		PortaoChart.Rendered rendered = PortaoChart.render(PortaoChart.DIR.resolve("ci").resolve(scenario), mounts);
		Path config = Files.writeString(this.dir.resolve("application.yml"), rendered.applicationYmlText());
		List<String> args = new ArrayList<>(List.of("--spring.config.additional-location=file:" + config));
		String profiles = rendered.env().get("SPRING_PROFILES_ACTIVE");
		if (profiles != null) {
			args.add("--spring.profiles.active=" + profiles);
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int exitCode = ConfigCheck.run(PortaoApplication.class, args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8));
		assertThat(out.toString(StandardCharsets.UTF_8).lines()).as(rendered.applicationYmlText())
			.containsExactly("configuration ok");
		assertThat(exitCode).isZero();
	}

}
