package io.portao.check;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.portao.config.InvalidConfigurationException;

import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.ResolvableType;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

/**
 * Unknown property names (a typo Spring ignores silently: {@code max-fail: 3} leaves the default in force) and
 * values of the wrong type, each converted with Boot's own {@link ApplicationConversionService}, the one the
 * binder uses.
 */
final class PropertyChecks {

	/** What a value of each common type looks like, as a user writes it. */
	private static final Map<Class<?>, String> EXPECTED = Map.ofEntries(
			Map.entry(Integer.class, "an integer"), Map.entry(Long.class, "an integer"),
			Map.entry(Short.class, "an integer"), Map.entry(Boolean.class, "true or false"),
			Map.entry(Duration.class, "a duration such as 250ms, 10s or 1m"),
			Map.entry(DataSize.class, "a size such as 8KB or 1MB"),
			Map.entry(URI.class, "a URI such as http://127.0.0.1:8080"));

	private final KnownProperties known;

	private final ConversionService conversion = ApplicationConversionService.getSharedInstance();

	PropertyChecks(KnownProperties known) {
		this.known = known;
	}

	List<String> problems(ConfigurableEnvironment environment) {
		List<String> problems = new ArrayList<>();
		for (UserProperty property : UserProperty.all(environment)) {
			PropertyMatch match = this.known.match(property.name());
			String problem = match.known() ? typeProblem(property, match.type(), environment)
					: unknown(property, match.suggestion());
			if (problem != null) {
				problems.add(problem);
			}
		}
		return problems;
	}

	private static String unknown(UserProperty property, String suggestion) {
		String expected = (suggestion != null) ? "a known property; did you mean " + suggestion + "?"
				: "a known property (Spring's or portao.*, see the README)";
		return new InvalidConfigurationException(property.name(), property.value(), expected).getMessage();
	}

	private String typeProblem(UserProperty property, ResolvableType type, ConfigurableEnvironment environment) {
		Object value = resolved(property.value(), environment);
		if (type == ResolvableType.NONE || type.resolve() == null || value == null) {
			return null;
		}
		TypeDescriptor target = new TypeDescriptor(type, null, null);
		TypeDescriptor source = TypeDescriptor.forObject(value);
		// No converter at all (String to Resource is the binder's PropertyEditor, not a converter): not a fault.
		if (!this.conversion.canConvert(source, target)) {
			return null;
		}
		try {
			this.conversion.convert(value, source, target);
			return null;
		}
		catch (ConversionException ex) {
			return new InvalidConfigurationException(property.name(), property.value(), expected(type, ex))
				.getMessage();
		}
	}

	/** The value with its {@code ${...}} placeholders resolved; {@code null} when one cannot be. */
	private static Object resolved(Object value, ConfigurableEnvironment environment) {
		if (!(value instanceof CharSequence text)) {
			return value;
		}
		String resolved = environment.resolvePlaceholders(text.toString());
		return resolved.contains("${") ? null : resolved;
	}

	static String expected(ResolvableType type, Throwable failure) {
		Class<?> raw = ClassUtils.resolvePrimitiveIfNecessary(type.toClass());
		if (EXPECTED.containsKey(raw)) {
			return EXPECTED.get(raw);
		}
		if (raw.isEnum()) {
			return "one of " + Arrays.stream(raw.getEnumConstants())
				.map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
				.collect(Collectors.joining(", "));
		}
		return "a " + raw.getSimpleName() + (BeanDescent.isPlainValue(raw) ? "" : " (" + rootMessage(failure) + ")");
	}

	private static String rootMessage(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return root.getMessage();
	}

}
