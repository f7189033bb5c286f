package io.portao.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.cloud.client.discovery.simple.InstanceProperties;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryProperties;
import org.springframework.cloud.gateway.config.HttpClientProperties;

/**
 * Checks the Spring properties Portão relies on that Spring itself accepts silently and fails on later, at the
 * first request or never: instance URIs of the static discovery list and the proxy client's timeouts. Each
 * problem stops start-up with an {@link InvalidConfigurationException}.
 */
public class StartupChecks implements InitializingBean {

	static final String INSTANCES = "spring.cloud.discovery.client.simple.instances";

	static final String HTTPCLIENT = "spring.cloud.gateway.server.webflux.httpclient";

	private final SimpleDiscoveryProperties discovery;

	private final HttpClientProperties httpClient;

	public StartupChecks(SimpleDiscoveryProperties discovery, HttpClientProperties httpClient) {
		this.discovery = discovery;
		this.httpClient = httpClient;
	}

	@Override
	public void afterPropertiesSet() {
		if (this.discovery != null) {
			checkInstances(this.discovery.getInstances());
		}
		if (this.httpClient != null) {
			checkHttpClient(this.httpClient);
		}
	}

	static void checkInstances(Map<String, List<InstanceProperties>> instances) {
		instances.forEach((service, list) -> {
			for (int i = 0; i < list.size(); i++) {
				checkInstance(INSTANCES + "." + service + "[" + i + "]", list.get(i));
			}
		});
	}

	private static void checkInstance(String property, InstanceProperties instance) {
		URI uri = instance.getUri();
		if (uri == null) {
			if (instance.getHost() == null || instance.getPort() <= 0) {
				throw new InvalidConfigurationException(property + ".uri", null, "an http:// or https:// URI");
			}
			return;
		}
		String scheme = uri.getScheme();
		boolean http = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
		if (!http || uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535) {
			throw new InvalidConfigurationException(property + ".uri", uri.toString(),
					"an absolute http:// or https:// URI with a host and a port, e.g. http://127.0.0.1:8080");
		}
	}

	static void checkHttpClient(HttpClientProperties client) {
		Integer connect = client.getConnectTimeout();
		if (connect != null && connect <= 0) {
			throw new InvalidConfigurationException(HTTPCLIENT + ".connect-timeout", connect,
					"a number of milliseconds > 0, e.g. 3000");
		}
		checkPositive(HTTPCLIENT + ".response-timeout", client.getResponseTimeout());
		checkPositive(HTTPCLIENT + ".pool.max-idle-time", client.getPool().getMaxIdleTime());
		checkPositive(HTTPCLIENT + ".pool.max-life-time", client.getPool().getMaxLifeTime());
	}

	private static void checkPositive(String property, Duration value) {
		if (value != null && (value.isNegative() || value.isZero())) {
			throw new InvalidConfigurationException(property, value, "a duration > 0, e.g. 60s");
		}
	}

}
