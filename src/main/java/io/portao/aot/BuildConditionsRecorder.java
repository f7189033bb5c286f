package io.portao.aot;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.WeakHashMap;

import org.springframework.aot.generate.GeneratedFiles;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.HierarchicalBeanFactory;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ByteArrayResource;

/**
 * Spring AOT's build step that writes {@link BuildConditions#RESOURCE}: what every condition decided for the
 * application context and for the child contexts processed with it (the management server's), with the build's
 * configuration (the jar's {@code application.yml}, no profile). Registered in {@code META-INF/spring/aot.factories}.
 */
class BuildConditionsRecorder implements BeanFactoryInitializationAotProcessor {

	/**
	 * The lines gathered so far per build: Spring processes the management server's child context while it
	 * processes the application's, and both contributions write the one file, each with all lines known by then,
	 * so that the last write holds every context's. Keyed by the build's {@link GeneratedFiles}, which a child
	 * context's generation shares with its parent's.
	 */
	private static final Map<GeneratedFiles, SortedMap<String, String>> LINES = Collections
		.synchronizedMap(new WeakHashMap<>());

	@Override
	public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
		int context = depth(beanFactory);
		ClassLoader classLoader = (beanFactory.getBeanClassLoader() != null) ? beanFactory.getBeanClassLoader()
				: getClass().getClassLoader();
		ConfigurableEnvironment environment = beanFactory.getBean(ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME,
				ConfigurableEnvironment.class);
		SortedMap<String, String> lines = BuildConditions.record(context, ConditionEvaluationReport.get(beanFactory),
				classLoader);
		if (context == 0) {
			lines.putAll(BuildConditions.inputs(environment));
		}
		// The start-up guard must decide every recorded condition as Spring did here, from the environment alone:
		// a condition that also reads the bean registry (a new one, after an upgrade) would turn AOT off on every
		// start, or worse. So the build replays its own record and stops at the first such condition.
		List<String> replayed = new ConditionReplay(environment, classLoader).differences(lines, context == 0);
		if (!replayed.isEmpty()) {
			throw new IllegalStateException("Spring AOT: conditions that the start-up guard (io.portao.aot) cannot"
					+ " decide again from the environment alone; make BuildConditions leave them out if they read"
					+ " only classes and beans: " + String.join("; ", replayed));
		}
		return (generationContext, code) -> {
			GeneratedFiles files = generationContext.getGeneratedFiles();
			String content;
			synchronized (LINES) {
				SortedMap<String, String> all = LINES.computeIfAbsent(files, (f) -> new TreeMap<>());
				all.putAll(lines);
				content = BuildConditions.write(all);
			}
			ByteArrayResource resource = new ByteArrayResource(content.getBytes(StandardCharsets.ISO_8859_1));
			files.handleFile(Kind.RESOURCE, BuildConditions.RESOURCE, (file) -> {
				if (file.exists()) {
					file.override(resource);
				}
				else {
					file.create(resource);
				}
			});
		};
	}

	private static int depth(BeanFactory beanFactory) {
		int depth = 0;
		BeanFactory current = beanFactory;
		while (current instanceof HierarchicalBeanFactory hierarchical && hierarchical.getParentBeanFactory() != null) {
			current = hierarchical.getParentBeanFactory();
			depth++;
		}
		return depth;
	}

}
