package io.portao.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart in {@code helm/portao}, rendered with Helm itself (helm-java bundles Helm as a native library, so no
 * binary or network is needed), and the rendered objects read back as YAML maps.
 */
final class PortaoChart {

	static final Path DIR = Path.of("helm", "portao");

	static final String RELEASE = "gw";

	static final String NAMESPACE = "edge";

	private PortaoChart() {
	}

	/** Every {@code ci/*-values.yaml} scenario, by file name. */
	static List<String> scenarios() {
		try (Stream<Path> files = Files.list(DIR.resolve("ci"))) {
			return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith("-values.yaml")).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static Rendered scenario(String name) {
		return render(DIR.resolve("ci").resolve(name));
	}

	/** Renders the chart with these values files, later ones over earlier ones, as {@code helm template} does. */
	static Rendered render(Path... valuesFiles) {
		TemplateCommand template = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE)
			.withKubeVersion("1.31.0");
		for (Path values : valuesFiles) {
			template = template.withValuesFile(values);
		}
		return Rendered.parse(template.call());
	}

	/** Renders a scenario with extra values written as YAML. */
	static Rendered render(String scenario, String extraYaml, Path dir) {
		return render(DIR.resolve("ci").resolve(scenario), write(dir, extraYaml));
	}

	static Path write(Path dir, String yaml) {
		try {
			return Files.writeString(Files.createTempFile(dir, "values", ".yaml"), yaml);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The objects of one {@code helm template} output. */
	record Rendered(List<Map<String, Object>> objects) {

		@SuppressWarnings("unchecked")
		static Rendered parse(String manifest) {
			List<Map<String, Object>> objects = new ArrayList<>();
			for (Object document : new Yaml().loadAll(manifest)) {
				if (document != null) {
					objects.add((Map<String, Object>) document);
				}
			}
			return new Rendered(objects);
		}

		List<Map<String, Object>> all(String kind) {
			return this.objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
		}

		Map<String, Object> one(String kind) {
			List<Map<String, Object>> found = all(kind);
			if (found.size() != 1) {
				throw new AssertionError("expected one " + kind + ", found " + found.size());
			}
			return found.get(0);
		}

		/** The gateway's configuration: {@code application.yml} of the ConfigMap. */
		@SuppressWarnings("unchecked")
		Map<String, Object> applicationYml() {
			return new Yaml().loadAs(applicationYmlText(), LinkedHashMap.class);
		}

		String applicationYmlText() {
			return (String) Yamls.at(one("ConfigMap"), "data", "application.yml");
		}

		Map<String, Object> podSpec() {
			return Yamls.map(Yamls.at(one("Deployment"), "spec", "template", "spec"));
		}

		Map<String, Object> container() {
			return Yamls.map(Yamls.at(podSpec(), "containers", "0"));
		}

		/** The container's environment, by name. */
		Map<String, String> env() {
			Map<String, String> env = new LinkedHashMap<>();
			for (Object entry : Yamls.list(container().get("env"))) {
				env.put((String) Yamls.at(entry, "name"), String.valueOf(Yamls.at(entry, "value")));
			}
			return env;
		}

		/** The container's port named {@code name}. */
		int containerPort(String name) {
			return Yamls.list(container().get("ports")).stream()
				.filter(p -> name.equals(Yamls.at(p, "name")))
				.map(p -> (Integer) Yamls.at(p, "containerPort"))
				.findFirst().orElseThrow(() -> new AssertionError("no container port " + name));
		}

		Map<String, Object> volumeMount(String volume) {
			return Yamls.list(container().get("volumeMounts")).stream().map(Yamls::map)
				.filter(m -> volume.equals(m.get("name"))).findFirst()
				.orElseThrow(() -> new AssertionError("no mount of volume " + volume));
		}

		Map<String, Object> volume(String name) {
			return Yamls.list(podSpec().get("volumes")).stream().map(Yamls::map)
				.filter(v -> name.equals(v.get("name"))).findFirst()
				.orElseThrow(() -> new AssertionError("no volume " + name));
		}

	}

}
