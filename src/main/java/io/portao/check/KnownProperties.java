package io.portao.check;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.portao.check.PropertyPath.Element;

import org.springframework.boot.json.JsonParserFactory;
import org.springframework.core.ResolvableType;

/**
 * Every property name Spring and Portão bind, read from the {@code META-INF/spring-configuration-metadata.json}
 * (and {@code additional-spring-configuration-metadata.json}) of every jar on the class path: the same files the
 * IDE completes from, so a name is known exactly when some {@code @ConfigurationProperties} binds it. Names below
 * Map-, List- and bean-typed properties are followed by {@link BeanDescent}.
 */
final class KnownProperties {

	private static final List<String> METADATA = List.of("META-INF/spring-configuration-metadata.json",
			"META-INF/additional-spring-configuration-metadata.json");

	private static final String GATEWAY_4 = "spring.cloud.gateway.";

	private static final String GATEWAY_5 = "spring.cloud.gateway.server.webflux.";

	/** Type of each property, by its uniform name ({@code server.maxhttprequestheadersize}). */
	private final Map<String, String> types = new HashMap<>();

	/** The next elements below each uniform prefix ({@code ""} for the first), uniform to dashed. */
	private final Map<String, Map<String, String>> children = new HashMap<>();

	/** Properties Boot no longer reads (deprecation level "error"), uniform name to replacement (or "" for none). */
	private final Map<String, String> removed = new HashMap<>();

	private final ClassLoader classLoader;

	private final BeanDescent descent = new BeanDescent();

	private KnownProperties(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	/** The properties of every metadata file {@code classLoader} sees. */
	static KnownProperties load(ClassLoader classLoader) {
		KnownProperties known = new KnownProperties(classLoader);
		for (String location : METADATA) {
			for (URL url : resources(classLoader, location)) {
				known.read(url);
			}
		}
		return known;
	}

	/** Whether {@code name} (as written in YAML, {@code .properties} or on the command line) is bound. */
	PropertyMatch match(String name) {
		List<Element> elements = PropertyPath.elements(name);
		for (int count = elements.size(); count > 0; count--) {
			String type = PropertyPath.anyIndexed(elements, count) ? null
					: this.types.get(PropertyPath.uniform(elements, count));
			if (type != null) {
				return this.descent.descend(TypeNames.parse(type, this.classLoader),
						elements.subList(count, elements.size()), PropertyPath.original(elements, count));
			}
		}
		if (!elements.isEmpty() && this.children.containsKey(PropertyPath.uniform(elements, elements.size()))) {
			// A group written as an empty YAML map (server.ssl: {}): nothing to bind, nothing wrong.
			return PropertyMatch.known(ResolvableType.NONE);
		}
		return PropertyMatch.unknown(suggestion(name, elements));
	}

	private String suggestion(String name, List<Element> elements) {
		String replacement = this.removed.get(PropertyPath.uniform(elements, elements.size()));
		if (replacement != null && !replacement.isEmpty()) {
			return replacement;
		}
		String renamed = renamedGatewayProperty(name);
		return (renamed != null) ? renamed : suggestion(elements);
	}

	/**
	 * Spring Cloud Gateway 5 moved {@code spring.cloud.gateway.*} to {@code spring.cloud.gateway.server.webflux.*}
	 * and silently ignores the old names (see docs/config-check.md): the commonest mistake in a configuration
	 * carried over from Gateway 4, so the new name is suggested whenever it is known.
	 */
	private String renamedGatewayProperty(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		if (!lower.startsWith(GATEWAY_4) || lower.startsWith(GATEWAY_5)) {
			return null;
		}
		String renamed = GATEWAY_5 + name.substring(GATEWAY_4.length());
		return match(renamed).known() ? renamed : null;
	}

	/** Below the deepest known prefix of {@code elements}, the known name closest to the next element. */
	private String suggestion(List<Element> elements) {
		for (int count = 0; count < elements.size(); count++) {
			Map<String, String> next = this.children.get(PropertyPath.uniform(elements, count));
			Element element = elements.get(count);
			if (next == null || element.indexed()) {
				return null;
			}
			if (!next.containsKey(element.uniform())) {
				String closest = Suggestions.closest(element.original().toLowerCase(Locale.ROOT),
						next.values());
				String prefix = PropertyPath.original(elements, count);
				return (closest == null) ? null : (prefix.isEmpty() ? closest : prefix + "." + closest);
			}
		}
		return null;
	}

	private void read(URL url) {
		Map<String, Object> json = JsonParserFactory.getJsonParser().parseMap(text(url));
		Object properties = json.getOrDefault("properties", List.of());
		for (Object property : (List<?>) properties) {
			if (property instanceof Map<?, ?> map && map.get("name") instanceof String name) {
				if (map.get("deprecation") instanceof Map<?, ?> deprecation && "error".equals(deprecation.get("level"))) {
					Object replacement = deprecation.get("replacement");
					List<Element> elements = PropertyPath.elements(name);
					this.removed.put(PropertyPath.uniform(elements, elements.size()),
							(replacement != null) ? replacement.toString() : "");
				}
				else {
					add(name, (map.get("type") instanceof String type) ? type : "java.lang.Object");
				}
			}
		}
	}

	private void add(String name, String type) {
		List<Element> elements = PropertyPath.elements(name);
		this.types.putIfAbsent(PropertyPath.uniform(elements, elements.size()), type);
		for (int count = 0; count < elements.size(); count++) {
			Element element = elements.get(count);
			this.children.computeIfAbsent(PropertyPath.uniform(elements, count), prefix -> new HashMap<>())
				.putIfAbsent(element.uniform(), element.original());
		}
	}

	private static List<URL> resources(ClassLoader classLoader, String location) {
		try {
			Enumeration<URL> urls = classLoader.getResources(location);
			return Collections.list(urls);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String text(URL url) {
		try (InputStream in = url.openStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not read " + url, ex);
		}
	}

}
