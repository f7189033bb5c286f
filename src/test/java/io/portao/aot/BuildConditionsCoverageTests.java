package io.portao.aot;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.MethodMetadata;
import org.springframework.core.type.classreading.CachingMetadataReaderFactory;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.MultiValueMap;

import io.portao.PortaoApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build's record ({@link BuildConditions}) holds Spring Boot's condition report, which only
 * {@link SpringBootCondition}s write to. So every condition that any configuration class of the jar may meet (the
 * auto-configurations, the management context's, Portão's own, and their nested classes and bean methods) must be
 * one, or {@code @Profile}'s (the record has the active profiles instead): a plain {@code Condition} brought by an
 * upgrade would decide at build time, unrecorded, and the start-up guard could not see it change.
 */
class BuildConditionsCoverageTests {

	private static final String PROFILE_CONDITION = "org.springframework.context.annotation.ProfileCondition";

	@Test
	void everyConditionTheJarsConfigurationMeetsIsRecordedByTheReport() throws IOException {
		ClassLoader classLoader = getClass().getClassLoader();
		MetadataReaderFactory metadata = new CachingMetadataReaderFactory(classLoader);
		Deque<String> classes = new ArrayDeque<>();
		ImportCandidates.load(AutoConfiguration.class, classLoader).forEach(classes::add);
		ImportCandidates.load(ManagementContextConfiguration.class, classLoader).forEach(classes::add);
		portaoConfigurationClasses(classes);
		Set<String> seen = new HashSet<>();
		Set<String> conditions = new TreeSet<>();
		int scanned = 0;
		while (!classes.isEmpty()) {
			String name = classes.pop();
			if (!seen.add(name)) {
				continue;
			}
			AnnotationMetadata type;
			try {
				type = metadata.getMetadataReader(name).getAnnotationMetadata();
			}
			catch (IOException absent) {
				continue;
			}
			scanned++;
			conditions.addAll(conditionClasses(type));
			for (MethodMetadata method : type.getDeclaredMethods()) {
				conditions.addAll(conditionClasses(method));
			}
			for (String member : type.getMemberClassNames()) {
				classes.push(member);
			}
			for (String imported : importedClasses(type)) {
				classes.push(imported);
			}
		}
		Set<String> notRecorded = new TreeSet<>();
		for (String condition : conditions) {
			if (condition.equals(PROFILE_CONDITION)) {
				continue;
			}
			try {
				if (!SpringBootCondition.class.isAssignableFrom(ClassUtils.forName(condition, classLoader))) {
					notRecorded.add(condition);
				}
			}
			catch (ClassNotFoundException | LinkageError absent) {
				// A condition class the jar lacks guards a configuration the jar cannot load: never evaluated.
			}
		}
		assertThat(scanned).as("configuration classes scanned").isGreaterThan(300);
		assertThat(conditions).as("condition classes met").hasSizeGreaterThan(40);
		assertThat(notRecorded).as("conditions Spring Boot's report does not record").isEmpty();
	}

	private static void portaoConfigurationClasses(Deque<String> classes) throws IOException {
		var scanner = new org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider(true);
		scanner.findCandidateComponents(PortaoApplication.class.getPackageName())
			.forEach((definition) -> classes.add(definition.getBeanClassName()));
	}

	private static List<String> conditionClasses(AnnotatedTypeMetadata element) {
		MultiValueMap<String, Object> conditionals = element.getAllAnnotationAttributes(Conditional.class.getName(),
				true);
		if (conditionals == null) {
			return List.of();
		}
		return conditionals.get("value").stream().flatMap((v) -> java.util.Arrays.stream((String[]) v)).toList();
	}

	private static List<String> importedClasses(AnnotationMetadata type) {
		MultiValueMap<String, Object> imports = type.getAllAnnotationAttributes(
				"org.springframework.context.annotation.Import", true);
		if (imports == null) {
			return List.of();
		}
		return imports.get("value").stream().flatMap((v) -> java.util.Arrays.stream((String[]) v)).toList();
	}

}
