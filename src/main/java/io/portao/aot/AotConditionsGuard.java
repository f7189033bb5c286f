package io.portao.aot;

import java.util.List;
import java.util.SortedMap;

import org.apache.commons.logging.Log;

import org.springframework.aot.AotDetector;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.web.context.reactive.StandardReactiveWebEnvironment;
import org.springframework.boot.web.server.reactive.context.AnnotationConfigReactiveWebServerApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Lets a start use Spring AOT's build-time bean definitions only when they are the ones this start's configuration
 * would produce.
 * <p>
 * Under AOT ({@code -Dspring.aot.enabled=true}) Spring does not parse the configuration classes nor evaluate their
 * conditions: the bean definitions are the ones the build generated, for the build's configuration. A start with
 * another profile, {@code management.server.port} equal to {@code server.port}, a feature switched off
 * ({@code portao.access-log.enabled: false}), or in a Kubernetes pod ({@code KUBERNETES_SERVICE_HOST}, which the
 * cloud-platform conditions read) would silently get the build's beans instead. So, once the environment is
 * complete and before the application context is created, this decides again every condition the build recorded
 * ({@link BuildConditions}); if one differs, it turns AOT off for this start (Spring's own switch,
 * {@link SpringProperties}, read after this point by every class that chooses between the two ways) and says
 * which condition differs. The start then parses its configuration as without AOT: slower by about half a second,
 * the same application.
 */
public class AotConditionsGuard implements EnvironmentPostProcessor, Ordered {

	/**
	 * Set by the image's training start only (the Dockerfile). That start records the image's AOT cache, which then
	 * holds the classes that start loaded: with it, this guard also parses the configuration as a start without
	 * AOT does, so that a start the guard turns AOT off for finds those classes in the cache too (without them such
	 * a start took 0.35 s more than the image before Spring AOT).
	 */
	static final String TRAINING = "portao.aot.training";

	private final Log log;

	public AotConditionsGuard(DeferredLogFactory logs) {
		this.log = logs.getLog(AotConditionsGuard.class);
	}

	/** Last: the environment is complete (config data, profiles, random values, JSON) when it runs. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!AotDetector.useGeneratedArtifacts()) {
			return;
		}
		long start = System.nanoTime();
		ClassLoader classLoader = (application.getClassLoader() != null) ? application.getClassLoader()
				: AotConditionsGuard.class.getClassLoader();
		SortedMap<String, String> recorded = BuildConditions.read(classLoader);
		List<String> differences = (recorded != null)
				? new ConditionReplay(environment, classLoader).differences(recorded, true)
				: List.of("the jar has no " + BuildConditions.RESOURCE + " (built without Spring AOT)");
		long millis = (System.nanoTime() - start) / 1_000_000;
		if (differences.isEmpty()) {
			this.log.info("Spring AOT: the build's bean definitions are used; its " + recorded.size()
					+ " recorded conditions and inputs decide the same with this configuration (checked in " + millis
					+ " ms)");
			if (Boolean.getBoolean(TRAINING)) {
				parseAsWithoutAot(environment, application);
			}
			return;
		}
		SpringProperties.setProperty(AotDetector.AOT_ENABLED, "false");
		this.log.warn("Spring AOT turned off for this start: the configuration differs from the build's in "
				+ differences.size() + " condition(s) or input(s), so the build's bean definitions would not be this"
				+ " configuration's; starting without them (about half a second slower). "
				+ String.join("; ", differences));
	}

	/**
	 * Parses the configuration classes and decides their conditions in a throwaway context, as a start without AOT
	 * does (Spring's own step for it, {@code refreshForAotProcessing}: no bean is created but the post-processors of
	 * bean factories), on a copy of the environment. Training only ({@link #TRAINING}).
	 */
	private void parseAsWithoutAot(ConfigurableEnvironment environment, SpringApplication application) {
		long start = System.nanoTime();
		StandardReactiveWebEnvironment copy = new StandardReactiveWebEnvironment();
		copy.getPropertySources().forEach((source) -> copy.getPropertySources().remove(source.getName()));
		environment.getPropertySources().forEach((source) -> copy.getPropertySources().addLast(source));
		copy.setActiveProfiles(environment.getActiveProfiles());
		try (var context = new AnnotationConfigReactiveWebServerApplicationContext()) {
			context.setEnvironment(copy);
			context.register(application.getAllSources().stream()
				.filter(Class.class::isInstance)
				.map(Class.class::cast)
				.toArray(Class<?>[]::new));
			context.refreshForAotProcessing(new RuntimeHints());
			this.log.info("Spring AOT training: the configuration also parsed as without AOT, "
					+ context.getBeanDefinitionCount() + " bean definitions in "
					+ (System.nanoTime() - start) / 1_000_000 + " ms");
		}
		catch (RuntimeException ex) {
			this.log.warn("Spring AOT training: parsing the configuration as without AOT failed; the image's cache"
					+ " will lack what a start without AOT loads: " + ex);
		}
	}

}
