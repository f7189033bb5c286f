package io.portao.aot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.web.context.reactive.GenericReactiveWebApplicationContext;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.MethodMetadata;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.core.type.classreading.CachingMetadataReaderFactory;
import org.springframework.util.ClassUtils;

/**
 * Decides the build's recorded conditions again, with a start's own environment, and lists where the outcome
 * differs. Each condition class runs on its source's metadata, read from the class file as Spring's configuration
 * parser reads it (ASM: a class whose annotations name an absent class is read as well), in a condition context
 * like the one the application's conditions see: a reactive web application context holding this environment.
 * A condition that cannot be decided again counts as a difference: the start then does without AOT.
 */
final class ConditionReplay {

	private final ConfigurableEnvironment environment;

	private final ClassLoader classLoader;

	private final MetadataReaderFactory metadata;

	private final ConditionContext context;

	private final Map<String, ClassElements> classes = new HashMap<>();

	ConditionReplay(ConfigurableEnvironment environment, ClassLoader classLoader) {
		this.environment = environment;
		this.classLoader = classLoader;
		this.metadata = new CachingMetadataReaderFactory(classLoader);
		GenericReactiveWebApplicationContext applicationContext = new GenericReactiveWebApplicationContext();
		applicationContext.setEnvironment(environment);
		applicationContext.setClassLoader(classLoader);
		this.context = new Context(applicationContext.getDefaultListableBeanFactory(),
				applicationContext.getBeanFactory(), environment, applicationContext, classLoader);
	}

	/**
	 * One line per difference between the build's record and this environment, empty when there is none.
	 * @param inputs whether the record must hold the inputs that are not conditions (the whole record does; the
	 * build checks a child context's lines, which have none, too)
	 */
	List<String> differences(SortedMap<String, String> recorded, boolean inputs) {
		List<String> differences = new ArrayList<>();
		SortedMap<String, String> now = BuildConditions.inputs(this.environment);
		Map<String, Boolean> outcomes = new HashMap<>();
		recorded.forEach((key, expected) -> {
			if (key.startsWith(BuildConditions.INPUT)) {
				String value = now.getOrDefault(key, "");
				if (!value.equals(expected)) {
					differences.add(key.substring(1) + ": '" + expected + "' at build time, '" + value + "' now");
				}
				return;
			}
			List<String> parts = BuildConditions.parts(key);
			String source = parts.get(1);
			String condition = parts.get(2);
			try {
				boolean match = outcomes.computeIfAbsent(source + "|" + condition, (k) -> decide(source, condition));
				if (match != Boolean.parseBoolean(expected)) {
					differences.add(simpleName(condition) + " on " + source + ": " + expected + " at build time, "
							+ match + " now");
				}
			}
			catch (RuntimeException | LinkageError ex) {
				differences.add(simpleName(condition) + " on " + source + " could not be decided again: " + ex);
			}
		});
		for (String key : now.keySet()) {
			if (inputs && !recorded.containsKey(key)) {
				differences.add(key.substring(1) + ": not recorded at build time");
			}
		}
		return differences;
	}

	private boolean decide(String source, String conditionClass) {
		try {
			Condition condition = (Condition) BeanUtils
				.instantiateClass(ClassUtils.forName(conditionClass, this.classLoader));
			List<AnnotatedTypeMetadata> elements = elements(source);
			if (elements.isEmpty()) {
				throw new IllegalStateException("no such class or method");
			}
			Boolean outcome = null;
			for (AnnotatedTypeMetadata element : elements) {
				boolean match = (condition instanceof SpringBootCondition springBoot)
						? springBoot.getMatchOutcome(this.context, element).isMatch()
						: condition.matches(this.context, element);
				if (outcome != null && outcome != match) {
					throw new IllegalStateException("overloaded methods decide differently");
				}
				outcome = match;
			}
			return outcome;
		}
		catch (ClassNotFoundException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The class, or every method of that name (the report names a method without its parameters). Read by
	 * reflection (the class is loaded, not initialised: most are needed by the start anyway, and the image's AOT
	 * cache holds them), or from the class file when reflection cannot see it whole (a method signature naming an
	 * absent class). Once per class: Spring Cloud Gateway's auto-configuration alone is the source of 60 conditions.
	 */
	private List<AnnotatedTypeMetadata> elements(String source) throws IOException {
		int hash = source.indexOf('#');
		String className = (hash < 0) ? source : source.substring(0, hash);
		ClassElements elements = this.classes.get(className);
		if (elements == null) {
			elements = new ClassElements(read(className));
			this.classes.put(className, elements);
		}
		return (hash < 0) ? List.of(elements.type()) : elements.methods(source.substring(hash + 1));
	}

	private AnnotationMetadata read(String className) throws IOException {
		try {
			return AnnotationMetadata.introspect(ClassUtils.forName(className, this.classLoader));
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return this.metadata.getMetadataReader(className).getAnnotationMetadata();
		}
	}

	/** A class's metadata, and its methods by name, grouped on the first look-up of one (most sources are classes). */
	private record ClassElements(AnnotationMetadata type, Map<String, List<AnnotatedTypeMetadata>> byName) {

		ClassElements(AnnotationMetadata type) {
			this(type, new HashMap<>());
		}

		List<AnnotatedTypeMetadata> methods(String name) {
			if (this.byName.isEmpty()) {
				for (MethodMetadata method : this.type.getDeclaredMethods()) {
					this.byName.computeIfAbsent(method.getMethodName(), (k) -> new ArrayList<>()).add(method);
				}
			}
			return this.byName.getOrDefault(name, List.of());
		}

	}

	private static String simpleName(String className) {
		return className.substring(className.lastIndexOf('.') + 1);
	}

	private record Context(BeanDefinitionRegistry getRegistry, ConfigurableListableBeanFactory getBeanFactory,
			Environment getEnvironment, ResourceLoader getResourceLoader,
			ClassLoader getClassLoader) implements ConditionContext {
	}

}
