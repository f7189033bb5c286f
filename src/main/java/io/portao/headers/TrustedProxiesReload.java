package io.portao.headers;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.Environment;

import io.portao.config.ReloadableProperties;

/**
 * Applies a reloaded {@code portao.trusted-proxies} (nginx's {@code set_real_ip_from}) from the next request on: the
 * list is bound again from the environment, with the same checks as at start-up, and handed to
 * {@link TrustedProxyAddresses}, which every reader consults per request. A list that fails to bind (the reload's
 * {@code check} refuses it first) is logged and the running one stays.
 */
record TrustedProxiesReload(TrustedProxyAddresses trustedProxies,
		Environment environment) implements ReloadableProperties {

	private static final Log logger = LogFactory.getLog(TrustedProxiesReload.class);

	static final String KEY = TrustedProxiesProperties.PREFIX + ".trusted-proxies";

	@Override
	public boolean applies(String key) {
		return key.equals(KEY) || key.startsWith(KEY + "[");
	}

	@Override
	public void apply() {
		try {
			TrustedProxiesProperties properties = Binder.get(this.environment)
				.bindOrCreate(TrustedProxiesProperties.PREFIX, TrustedProxiesProperties.class);
			this.trustedProxies.blocks(properties.blocks());
			logger.info("trusted proxies now: " + properties.trustedProxies());
		}
		catch (RuntimeException ex) {
			logger.error("The reloaded trusted proxies cannot be bound; the running ones stay: "
					+ NestedExceptionUtils.getMostSpecificCause(ex).getMessage());
		}
	}

}
