package io.portao.aot;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import org.springframework.boot.autoconfigure.condition.AbstractNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport.ConditionAndOutcome;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.core.type.classreading.SimpleMetadataReaderFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.MultiValueMap;

/**
 * What the build's conditions decided, as one properties file in the jar
 * ({@value #RESOURCE}): one {@code context|source|condition class = true|false} line per condition that depends on
 * more than the class path, and the few inputs that select bean definitions without being a condition (the
 * active profiles, {@code spring.autoconfigure.exclude}, {@code spring.main.web-application-type}).
 * <p>
 * Not recorded, on purpose: conditions on classes (the jar's class path is the build's, so they decide the same)
 * and on beans (with no user code in the jar, which beans exist follows from the other conditions), nested
 * conditions made of those only; a source whose class condition failed, since it fails again whatever the rest
 * says.
 */
final class BuildConditions {

	static final String RESOURCE = "META-INF/portao/aot-conditions.properties";

	/** Keys of the inputs that are not conditions start with this, condition keys never do. */
	static final String INPUT = "@";

	static final List<String> INPUT_PROPERTIES = List.of("spring.autoconfigure.exclude",
			"spring.main.web-application-type");

	static final String PROFILES = INPUT + "profiles";

	private static final String CLASS_CONDITION = "org.springframework.boot.autoconfigure.condition.OnClassCondition";

	private static final Set<String> NOT_RECORDED = Set.of(CLASS_CONDITION,
			"org.springframework.boot.autoconfigure.condition.OnBeanCondition",
			"org.springframework.boot.autoconfigure.condition.OnWebApplicationCondition");

	private BuildConditions() {
	}

	/**
	 * The lines for one context's report.
	 * @param context the context's place: {@code 0} for the application, {@code 1} for a child (the management
	 * server's)
	 */
	static SortedMap<String, String> record(int context, ConditionEvaluationReport report, ClassLoader classLoader) {
		SortedMap<String, String> lines = new TreeMap<>();
		MetadataReaderFactory metadata = new SimpleMetadataReaderFactory(classLoader);
		report.getConditionAndOutcomesBySource().forEach((source, outcomes) -> {
			boolean classFailed = outcomes.stream()
				.anyMatch((o) -> conditionClass(o).equals(CLASS_CONDITION) && !o.getOutcome().isMatch());
			if (classFailed) {
				return;
			}
			for (ConditionAndOutcome outcome : outcomes) {
				String condition = conditionClass(outcome);
				// The report's own "ancestor did not match" entries are derived from the ancestor's conditions.
				if (!condition.startsWith(ConditionEvaluationReport.class.getName())
						&& !onClassesAndBeansOnly(condition, metadata)) {
					lines.put(key(context, source, condition), Boolean.toString(outcome.getOutcome().isMatch()));
				}
			}
		});
		return lines;
	}

	/**
	 * Whether a condition reads nothing but the class path and the bean registry: one of Spring Boot's on classes,
	 * beans or the web application's type, or a nested condition ({@code AnyNestedCondition} and the like) whose
	 * every member has only such conditions.
	 */
	private static boolean onClassesAndBeansOnly(String condition, MetadataReaderFactory metadata) {
		if (NOT_RECORDED.contains(condition)) {
			return true;
		}
		try {
			Class<?> type = ClassUtils.forName(condition, metadata.getResourceLoader().getClassLoader());
			if (!AbstractNestedCondition.class.isAssignableFrom(type)) {
				return false;
			}
			String[] members = metadata.getMetadataReader(condition).getClassMetadata().getMemberClassNames();
			for (String member : members) {
				MultiValueMap<String, Object> conditionals = metadata.getMetadataReader(member)
					.getAnnotationMetadata()
					.getAllAnnotationAttributes(Conditional.class.getName(), true);
				if (conditionals == null) {
					return false;
				}
				for (Object classes : conditionals.get("value")) {
					for (String memberCondition : (String[]) classes) {
						if (!onClassesAndBeansOnly(memberCondition, metadata)) {
							return false;
						}
					}
				}
			}
			return members.length > 0;
		}
		catch (ClassNotFoundException | IOException | LinkageError ex) {
			return false;
		}
	}

	/** The inputs that are not conditions, as this environment sets them. */
	static SortedMap<String, String> inputs(ConfigurableEnvironment environment) {
		SortedMap<String, String> lines = new TreeMap<>();
		lines.put(PROFILES, String.join(",", environment.getActiveProfiles()));
		Binder binder = Binder.get(environment);
		for (String name : INPUT_PROPERTIES) {
			lines.put(INPUT + name, binder.bind(name, String[].class).map((v) -> String.join(",", v)).orElse(""));
		}
		return lines;
	}

	static String key(int context, String source, String conditionClass) {
		return context + "|" + source + "|" + conditionClass;
	}

	private static String conditionClass(ConditionAndOutcome outcome) {
		return outcome.getCondition().getClass().getName();
	}

	static String write(Map<String, String> lines) {
		StringWriter out = new StringWriter();
		out.write("# Written by Spring AOT's build (io.portao.aot.BuildConditionsRecorder), read by AotConditionsGuard\n");
		lines.forEach((key, value) -> out.write(escape(key) + "=" + value + "\n"));
		return out.toString();
	}

	private static String escape(String key) {
		// Properties' own escaping of the characters a class or method name cannot hold anyway, plus ':' and '='.
		return key.replace("\\", "\\\\").replace("=", "\\=").replace(":", "\\:").replace(" ", "\\ ");
	}

	/** The record in the jar, or {@code null} when the jar has none (built without Spring AOT). */
	static SortedMap<String, String> read(ClassLoader classLoader) {
		try (InputStream in = classLoader.getResourceAsStream(RESOURCE)) {
			if (in == null) {
				return null;
			}
			Properties properties = new Properties();
			properties.load(in);
			SortedMap<String, String> lines = new TreeMap<>();
			properties.forEach((key, value) -> lines.put((String) key, (String) value));
			return lines;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + RESOURCE, ex);
		}
	}

	/** {@code [context, source, condition class]} of a condition key. */
	static List<String> parts(String key) {
		List<String> parts = List.of(key.split("\\|", 3));
		if (parts.size() != 3) {
			throw new IllegalArgumentException("Not a condition key of " + RESOURCE + ": " + key);
		}
		return parts;
	}

}
