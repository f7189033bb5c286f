package io.portao.upstream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.portao.config.ReloadableProperties;

/**
 * Applies a reloaded configuration's upstream properties ({@code portao.upstream.*} and
 * {@code portao.upstreams.<name>.*}: policy, failure counting, ejection, next-upstream, timeouts, retry budget, slow
 * start, health checks): on Spring Cloud's {@code EnvironmentChangeEvent} for one of them, every upstream's
 * properties are bound again from the environment and handed to it ({@link Upstream#settings}); instances keep their
 * state, and health checks restart with their new interval. A value that fails to bind (the reload's {@code check}
 * refuses it first) is logged, and that upstream keeps its properties.
 */
record UpstreamSettingsReload(UpstreamPropertiesBinder binder,
		UpstreamRegistry registry) implements ReloadableProperties {

	private static final Log logger = LogFactory.getLog(UpstreamSettingsReload.class);

	@Override
	public boolean applies(String key) {
		return key.startsWith(UpstreamProperties.PREFIX + ".") || key.startsWith(UpstreamProperties.UPSTREAMS_PREFIX + ".");
	}

	@Override
	public void apply() {
		this.binder.forget();
		for (Upstream upstream : this.registry.upstreams().values()) {
			try {
				UpstreamProperties next = this.binder.forUpstream(upstream.name());
				boolean newHealthCheck = !upstream.settings().healthCheck().equals(next.healthCheck());
				if (upstream.settings(next) && newHealthCheck) {
					this.registry.healthCheckChanged(upstream);
				}
			}
			catch (RuntimeException ex) {
				logger.error("upstream '" + upstream.name() + "' keeps its properties, the reloaded ones cannot be bound: "
						+ ex.getMessage());
			}
		}
	}

}
