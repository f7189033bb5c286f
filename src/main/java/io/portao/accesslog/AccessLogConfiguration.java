package io.portao.accesslog;

import java.time.ZoneId;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;

/**
 * The access log, on unless {@code portao.access-log.enabled=false}. Every request to the public port gets one
 * line, static files and proxied requests alike.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = AccessLogProperties.PREFIX + ".enabled", matchIfMissing = true)
public class AccessLogConfiguration {

	@Bean
	ManagementPort accessLogManagementPort() {
		return new ManagementPort();
	}

	/**
	 * Spring applies this decorator to the management port's handler too (the child context sees the parent's
	 * beans): {@link ManagementPort} tells those requests apart, so that probes and scrapes are not logged.
	 */
	@Bean
	HttpHandlerDecoratorFactory accessLogHttpHandlerDecorator(ManagementPort managementPort) {
		AccessLogFormat format = new AccessLogFormat(ZoneId.systemDefault());
		return handler -> new AccessLogHttpHandler(handler, format, managementPort);
	}

	@Bean
	AccessLogExchangeFilter accessLogExchangeFilter() {
		return new AccessLogExchangeFilter();
	}

	@Bean
	UpstreamAttemptLogFilter upstreamAttemptLogFilter() {
		return new UpstreamAttemptLogFilter();
	}

}
