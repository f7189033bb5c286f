package io.portao.nginximport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.portao.PortaoApplication;
import io.portao.check.ConfigCheck;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every YAML {@code import-nginx} writes for the test configurations is one Portão accepts: {@code check} (the same
 * binding, predicate and filter factories and route building as start-up) finds no unknown property, no wrong type,
 * no unknown predicate or filter. Files the nginx configurations name ({@code /etc/ssl/…}, {@code /srv/…}) do not
 * exist here, so the only problems allowed are those, and only for the cases that name files.
 */
class ImportedConfigCheckIntegrationTests {

	/** The cases whose YAML names files that are not on this machine. */
	static final List<String> NAMING_FILES = List.of("alias-static", "includes", "tls-redirect", "timeouts-and-limits",
			"static-locations");

	/** The properties that name them. */
	static final List<String> FILE_PROPERTIES = List.of("spring.ssl.bundle.pem.web.",
			"spring.web.resources.static-locations", "portao.static-files.locations[",
			"portao.access-log.path");

	static Stream<String> cases() throws IOException {
		return ImportNginxCommandTests.cases().filter(name -> !name.equals("syntax-error"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void theImportedYamlPassesCheck(String name, @TempDir Path tmp) throws IOException {
		Path yaml = tmp.resolve("application.yml");
		Files.copy(ImportNginxCommandTests.CASES.resolve(name).resolve("expected.yml"), yaml);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int code = ConfigCheck.run(PortaoApplication.class, new String[] { "--spring.config.additional-location=file:" + yaml },
				new PrintStream(out, true, StandardCharsets.UTF_8));
		List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
		if (!NAMING_FILES.contains(name)) {
			assertThat(lines).containsExactly("configuration ok");
			assertThat(code).isZero();
			return;
		}
		assertThat(code).isEqualTo(1);
		assertThat(lines).as("only missing files").isNotEmpty()
			.allMatch(line -> FILE_PROPERTIES.stream().anyMatch(line::startsWith), "names a file property");
	}

}
