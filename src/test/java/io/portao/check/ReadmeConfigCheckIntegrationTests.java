package io.portao.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.portao.support.TestCertificates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every example configuration in README.md and docs/*.md passes {@code check}: the YAML blocks are read from the
 * files themselves, {@code /var/www/} pointed at a temporary tree with a real static directory and a generated
 * certificate and key. Each block is checked on top of the README's configuration contract, which the others
 * extend ("For bapi-ssl.conf, add:"). Blocks of Helm values (top-level {@code upstreams:}, {@code routes:}, ...)
 * are not Portão configurations and are left out.
 */
class ReadmeConfigCheckIntegrationTests {

	/** The top-level keys of a configuration Portão reads; any other marks a block of Helm chart values. */
	private static final Set<String> CONFIGURATION_ROOTS = Set.of("server", "spring", "portao", "management", "logging");

	private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

	private static final Pattern TOP_LEVEL_KEY = Pattern.compile("(?m)^([A-Za-z][\\w-]*):");

	@TempDir
	Path dir;

	@Test
	void everyExampleConfigurationIsOk() throws Exception {
		Files.createDirectories(this.dir.resolve("static/static"));
		Files.createDirectories(this.dir.resolve("ssl"));
		for (String location : new String[] { "app/public", "app/static", "app/images" }) {
			Files.createDirectories(this.dir.resolve(location));
		}
		TestCertificates.generate(this.dir.resolve("ssl"), "cert", "localhost");
		List<String> readme = configurations(Path.of("README.md"));
		assertThat(readme).as("the contract and its TLS addition").hasSizeGreaterThanOrEqualTo(2);
		Path contract = write("contract.yml", readme.get(0));
		Map<String, List<String>> results = new LinkedHashMap<>();
		results.put("README.md #1", check(contract));
		List<String> others = new ArrayList<>(readme.subList(1, readme.size()));
		for (Path doc : docs()) {
			others.addAll(configurations(doc));
		}
		for (int i = 0; i < others.size(); i++) {
			Path example = write("example-" + i + ".yml", others.get(i));
			results.put("example " + i + ":\n" + others.get(i), check(contract, example));
		}
		results.forEach((example, lines) -> assertThat(lines).as(example).containsExactly("configuration ok"));
	}

	private List<String> check(Path... files) {
		String locations = String.join(",", Stream.of(files).map(f -> "file:" + f).toList());
		return CheckedConfig.check("--spring.config.additional-location=" + locations).lines();
	}

	private Path write(String name, String yaml) throws IOException {
		return Files.writeString(this.dir.resolve(name), yaml.replace("/var/www/", this.dir + "/"));
	}

	static List<String> configurations(Path markdown) throws IOException {
		List<String> blocks = new ArrayList<>();
		Matcher block = YAML_BLOCK.matcher(Files.readString(markdown));
		while (block.find()) {
			if (isConfiguration(block.group(1))) {
				blocks.add(block.group(1));
			}
		}
		return blocks;
	}

	private static boolean isConfiguration(String yaml) {
		Matcher key = TOP_LEVEL_KEY.matcher(yaml);
		boolean any = false;
		while (key.find()) {
			any = true;
			if (!CONFIGURATION_ROOTS.contains(key.group(1))) {
				return false;
			}
		}
		return any;
	}

	private static List<Path> docs() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("docs"))) {
			return files.filter(f -> f.toString().endsWith(".md")).sorted().toList();
		}
	}

}
