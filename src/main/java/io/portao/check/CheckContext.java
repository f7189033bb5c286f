package io.portao.check;

import java.util.List;

import org.springframework.boot.web.server.reactive.context.AnnotationConfigReactiveWebServerApplicationContext;

/**
 * Portão's application context, refreshed for a check: the environment checks run first (before any bean exists,
 * so that every problem is reported, not the first bean's), then, if they found nothing, every bean is created as
 * at start-up (properties records bound and validated, SSL bundles loaded, the web server created and configured),
 * but no lifecycle is started: the web server, the management server and the TLS redirect port are bound by
 * {@code SmartLifecycle.start()}, which {@link #finishRefresh()} deliberately does not call.
 */
final class CheckContext extends AnnotationConfigReactiveWebServerApplicationContext {

	@Override
	protected void prepareRefresh() {
		super.prepareRefresh();
		List<String> problems = EnvironmentChecks.problems(getEnvironment(), getClassLoader());
		if (!problems.isEmpty()) {
			throw new CheckFinished(problems);
		}
	}

	/** Instead of starting the lifecycles and publishing {@code ContextRefreshedEvent}: the route checks. */
	@Override
	protected void finishRefresh() {
		throw new CheckFinished(RouteFactoryChecks.problems(this));
	}

}
