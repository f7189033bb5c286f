package io.portao.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.cloud.client.discovery.simple.InstanceProperties;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryProperties;
import org.springframework.cloud.gateway.config.HttpClientProperties;

/**
 * Checks the Spring properties Portão relies on that Spring itself accepts silently and fails on later, at the
 * first request or never: instance URIs of the static discovery list and the proxy client's timeouts. Each
 * problem stops start-up with an {@link InvalidConfigurationException}; the {@code check} command
 * ({@code io.portao.check}) collects them all through {@link #instanceProblems} and {@link #httpClientProblems}.
 */
public record StartupChecks(@Nullable SimpleDiscoveryProperties discovery,
		HttpClientProperties httpClient) implements InitializingBean {

	public static final String INSTANCES = "spring.cloud.discovery.client.simple.instances";

	public static final String HTTPCLIENT = "spring.cloud.gateway.server.webflux.httpclient";

	@Override
	public void afterPropertiesSet() {
		List<InvalidConfigurationException> problems = new ArrayList<>();
		if (this.discovery != null) {
			problems.addAll(instanceProblems(this.discovery.getInstances()));
		}
		if (this.httpClient != null) {
			problems.addAll(httpClientProblems(this.httpClient));
		}
		throwFirst(problems);
	}

	static void checkInstances(Map<String, List<InstanceProperties>> instances) {
		throwFirst(instanceProblems(instances));
	}

	static void checkHttpClient(HttpClientProperties client) {
		throwFirst(httpClientProblems(client));
	}

	/**
	 * Every bad instance of the static discovery list, in order: start-up stops at the first, the {@code check}
	 * command reports them all.
	 */
	public static List<InvalidConfigurationException> instanceProblems(Map<String, List<InstanceProperties>> instances) {
		List<InvalidConfigurationException> problems = new ArrayList<>();
		instances.forEach((service, list) -> {
			for (int i = 0; i < list.size(); i++) {
				InvalidConfigurationException problem = instanceProblem(INSTANCES + "." + service + "[" + i + "]",
						list.get(i));
				if (problem != null) {
					problems.add(problem);
				}
			}
		});
		return problems;
	}

	private static InvalidConfigurationException instanceProblem(String property, InstanceProperties instance) {
		URI uri = instance.getUri();
		if (uri == null) {
			boolean hostAndPort = instance.getHost() != null && instance.getPort() > 0;
			return hostAndPort ? null
					: new InvalidConfigurationException(property + ".uri", null, "an http:// or https:// URI");
		}
		String scheme = uri.getScheme();
		boolean http = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
		if (!http || uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535) {
			return new InvalidConfigurationException(property + ".uri", uri.toString(),
					"an absolute http:// or https:// URI with a host and a port, e.g. http://127.0.0.1:8080");
		}
		return null;
	}

	/** Every bad timeout of the proxy client, in order (see {@link #instanceProblems}). */
	public static List<InvalidConfigurationException> httpClientProblems(HttpClientProperties client) {
		List<InvalidConfigurationException> problems = new ArrayList<>();
		Integer connect = client.getConnectTimeout();
		if (connect != null && connect <= 0) {
			problems.add(new InvalidConfigurationException(HTTPCLIENT + ".connect-timeout", connect,
					"a number of milliseconds > 0, e.g. 3000"));
		}
		addIfNotPositive(problems, HTTPCLIENT + ".response-timeout", client.getResponseTimeout());
		addIfNotPositive(problems, HTTPCLIENT + ".pool.max-idle-time", client.getPool().getMaxIdleTime());
		addIfNotPositive(problems, HTTPCLIENT + ".pool.max-life-time", client.getPool().getMaxLifeTime());
		return problems;
	}

	private static void addIfNotPositive(List<InvalidConfigurationException> problems, String property,
			Duration value) {
		if (value != null && (value.isNegative() || value.isZero())) {
			problems.add(new InvalidConfigurationException(property, value, "a duration > 0, e.g. 60s"));
		}
	}

	private static void throwFirst(List<InvalidConfigurationException> problems) {
		if (!problems.isEmpty()) {
			throw problems.get(0);
		}
	}

}
