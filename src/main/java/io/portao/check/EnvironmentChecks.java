package io.portao.check;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The checks that need only the environment (every property source as start-up builds it), each independent of
 * the others so that every problem is found, not just the first.
 */
final class EnvironmentChecks {

	private EnvironmentChecks() {
	}

	static List<String> problems(ConfigurableEnvironment environment, ClassLoader classLoader) {
		List<String> problems = new ArrayList<>();
		problems.addAll(new PropertyChecks(KnownProperties.load(classLoader)).problems(environment));
		Binder binder = Binder.get(environment);
		problems.addAll(DiscoveryChecks.problems(binder));
		problems.addAll(RouteDefinitionChecks.problems(binder));
		problems.addAll(new PemChecks().problems(binder));
		problems.addAll(StaticLocationChecks.problems(binder));
		return List.copyOf(new LinkedHashSet<>(problems));
	}

}
