package io.portao.check;

import java.util.ArrayList;
import java.util.List;

import io.portao.config.InvalidConfigurationException;
import io.portao.config.StartupChecks;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryProperties;
import org.springframework.cloud.gateway.config.HttpClientProperties;

/**
 * Start-up's own checks ({@link StartupChecks}: instance URIs, proxy client timeouts), over every instance rather
 * than up to the first bad one.
 */
final class DiscoveryChecks {

	private static final String SIMPLE = "spring.cloud.discovery.client.simple";

	private DiscoveryChecks() {
	}

	static List<String> problems(Binder binder) {
		List<InvalidConfigurationException> problems = new ArrayList<>();
		try {
			SimpleDiscoveryProperties discovery = binder
				.bind(SIMPLE, Bindable.ofInstance(new SimpleDiscoveryProperties()))
				.orElseGet(SimpleDiscoveryProperties::new);
			problems.addAll(StartupChecks.instanceProblems(discovery.getInstances()));
			HttpClientProperties client = binder
				.bind(StartupChecks.HTTPCLIENT, Bindable.ofInstance(new HttpClientProperties()))
				.orElseGet(HttpClientProperties::new);
			problems.addAll(StartupChecks.httpClientProblems(client));
		}
		catch (RuntimeException unbindable) {
			// A value of the wrong type below these prefixes, already reported by PropertyChecks.
		}
		return problems.stream().map(Throwable::getMessage).toList();
	}

}
