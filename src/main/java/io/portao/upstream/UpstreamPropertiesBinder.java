package io.portao.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.portao.config.InvalidConfigurationException;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The properties of each upstream: {@code portao.upstreams.<name>.*} where set, else {@code portao.upstream.*},
 * else the record's defaults, property by property. Bound with Boot's {@link Binder} over the environment's own
 * sources, each seen through a prefix, because {@code @ConfigurationProperties} cannot fall back from one prefix to
 * another.
 */
final class UpstreamPropertiesBinder {

	private static final ConfigurationPropertyName UPSTREAMS = ConfigurationPropertyName
		.of(UpstreamProperties.UPSTREAMS_PREFIX);

	private final Iterable<ConfigurationPropertySource> sources;

	private final PropertySourcesPlaceholdersResolver placeholders;

	private final Map<String, UpstreamProperties> bound = new ConcurrentHashMap<>();

	UpstreamPropertiesBinder(ConfigurableEnvironment environment) {
		this.sources = ConfigurationPropertySources.get(environment);
		this.placeholders = new PropertySourcesPlaceholdersResolver(environment);
	}

	/** The properties of upstream {@code name}; a bad per-upstream value throws, naming its full property. */
	UpstreamProperties forUpstream(String name) {
		return this.bound.computeIfAbsent(name.toLowerCase(Locale.ROOT), this::bindUpstream);
	}

	/** Forgets what was bound: a reload changed the environment, the next lookup binds again. */
	void forget() {
		this.bound.clear();
	}

	/** The names under {@code portao.upstreams}, bound (and so checked) at start-up. */
	Set<String> configuredNames() {
		Set<String> names = new TreeSet<>();
		for (ConfigurationPropertySource source : this.sources) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream()
					.filter(UPSTREAMS::isAncestorOf)
					.forEach(property -> names.add(property.getElement(2, ConfigurationPropertyName.Form.UNIFORM)));
			}
		}
		return names;
	}

	private UpstreamProperties bindUpstream(String name) {
		String prefix = UpstreamProperties.UPSTREAMS_PREFIX + "." + name;
		List<ConfigurationPropertySource> layered = new ArrayList<>();
		this.sources.forEach(source -> layered.add(source.withPrefix(prefix)));
		this.sources.forEach(source -> layered.add(source.withPrefix(UpstreamProperties.PREFIX)));
		try {
			return bind(new Binder(layered, this.placeholders));
		}
		catch (RuntimeException ex) {
			throw renamed(ex, prefix);
		}
	}

	private static UpstreamProperties bind(Binder binder) {
		return binder.bindOrCreate(ConfigurationPropertyName.EMPTY, Bindable.of(UpstreamProperties.class),
				org.springframework.boot.context.properties.bind.BindHandler.DEFAULT);
	}

	/** The record checks name {@code portao.upstream.x}; the value came from {@code portao.upstreams.<name>.x}. */
	private static RuntimeException renamed(RuntimeException ex, String prefix) {
		Throwable cause = ex;
		while (cause != null && !(cause instanceof InvalidConfigurationException)) {
			cause = cause.getCause();
		}
		if (!(cause instanceof InvalidConfigurationException invalid)) {
			return (ex instanceof BindException bind) ? unconvertible(bind, prefix) : ex;
		}
		String message = invalid.getMessage();
		String rest = message.substring(invalid.property().length() + 2);
		int expected = rest.lastIndexOf(" (expected: ");
		String property = prefix + invalid.property().substring(UpstreamProperties.PREFIX.length());
		return new InvalidConfigurationException(property, new Verbatim(rest.substring(0, expected)),
				rest.substring(expected + 12, rest.length() - 1));
	}

	/** A value of the wrong type or out of an enum, e.g. {@code policy: fastest}. */
	private static RuntimeException unconvertible(BindException bind, String prefix) {
		Object value = (bind.getProperty() != null) ? bind.getProperty().getValue() : null;
		String name = (bind.getProperty() != null) ? bind.getProperty().getName().toString() : bind.getName().toString();
		Throwable root = bind;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		String expected = name.startsWith("policy") ? "one of round-robin, least-connections, random-two-choices, least-time"
				: name.contains("fail-on") || name.contains("next-upstream[") || name.equals("next-upstream")
						? "any of error, timeout, http_502, http_503, http_504, non_idempotent, off"
						: "a valid value (" + root.getMessage() + ")";
		return new InvalidConfigurationException(prefix + "." + name, String.valueOf(value), expected);
	}

	/** A value already formatted by the first exception. */
	private record Verbatim(String text) {

		@Override
		public String toString() {
			return this.text;
		}

	}

}
