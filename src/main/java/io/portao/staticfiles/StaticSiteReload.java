package io.portao.staticfiles;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.web.WebProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.webflux.autoconfigure.WebFluxProperties;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

import io.portao.config.ReloadableProperties;

/**
 * Applies a reloaded configuration's static settings: when Spring Cloud's refresh reports a change under one of
 * {@link #KEYS} ({@code EnvironmentChangeEvent}), the locations are bound again from the environment, built, and
 * swapped into the handler mapping, which the static lane reads too. The properties are immutable records, which
 * Spring Cloud's rebinding cannot change in place; binding them again here is the same binding Boot does at
 * start-up. A configuration that fails to build (the reload's {@code check} refuses it first) is logged, and the
 * running locations stay. {@code portao.static-files.enabled} needs a restart.
 */
record StaticSiteReload(StaticFilesHandlerMapping mapping, Environment environment,
		ResourceLoader resourceLoader) implements ReloadableProperties {

	private static final Log logger = LogFactory.getLog(StaticSiteReload.class);

	/** The properties a static site is built from; a change to any of them rebuilds it. */
	static final List<String> KEYS = List.of("portao.static-files.locations", "portao.static-files.expires-max-on-query",
			"portao.static-files.version-check", "portao.static-files.version-param", StaticSite.PATH_PATTERN,
			StaticSite.LOCATIONS, "spring.web.resources.cache");

	@Override
	public boolean applies(String key) {
		return KEYS.stream().anyMatch(key::startsWith);
	}

	@Override
	public void apply() {
		try {
			Binder binder = Binder.get(this.environment);
			StaticFilesProperties properties = binder.bindOrCreate(StaticFilesProperties.PREFIX,
					StaticFilesProperties.class);
			WebProperties web = binder.bindOrCreate("spring.web", WebProperties.class);
			WebFluxProperties webFlux = binder.bindOrCreate("spring.webflux", WebFluxProperties.class);
			StaticSite site = StaticSite.build(properties, web.getResources(), webFlux.getStaticPathPattern(),
					this.resourceLoader);
			this.mapping.replace(site);
			logger.info("Static locations now served: " + site.mappings().stream()
				.map(mapping -> mapping.pattern().getPatternString())
				.toList());
		}
		catch (Exception ex) {
			logger.error("The reloaded static locations could not be built; the running ones stay: "
					+ NestedExceptionUtils.getMostSpecificCause(ex).getMessage());
		}
	}

}
