package io.portao.metrics;

import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.logging.LogbackMetrics;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

import io.portao.config.ManagementPortWrites;
import io.portao.proxy.ProxyLaneRoutes;
import io.portao.upstream.UpstreamDiscoverySync;
import io.portao.upstream.UpstreamRegistry;

/**
 * Per-instance observability, all reading {@code upstream}'s state and never steering it: the meters, the
 * {@code upstreams} endpoint and health component. The status page is in {@link StatusPageConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

	@Bean
	UpstreamMetrics upstreamMetrics(MeterRegistry meterRegistry, UpstreamRegistry registry) {
		UpstreamMetrics metrics = new UpstreamMetrics(meterRegistry, registry);
		registry.addListener(metrics);
		return metrics;
	}

	@Bean
	KnownInstances knownInstances(UpstreamRegistry registry, UpstreamMetrics metrics) {
		return new KnownInstances(registry, metrics);
	}

	/**
	 * Meters for every configured instance from the start, before any request picked it, and following the instances
	 * discovery lists whenever it refreshes ({@link HeartbeatEvent}: Kubernetes endpoints changed).
	 * {@link UpstreamDiscoverySync} logs its own failures; the meters then appear with the first request.
	 */
	@Bean
	ApplicationListener<ApplicationEvent> followKnownInstances(KnownInstances known, UpstreamDiscoverySync discovery) {
		return event -> {
			if (event instanceof ApplicationReadyEvent || event instanceof HeartbeatEvent) {
				discovery.sync().doOnSuccess(done -> known.discover()).subscribe(null, error -> {
				});
			}
		};
	}

	@Bean
	UpstreamsEndpoint upstreamsEndpoint(KnownInstances known, UpstreamRegistry registry, UpstreamMetrics metrics,
			ObjectProvider<ProxyLaneRoutes> routes, Environment environment) {
		return new UpstreamsEndpoint(known, registry, metrics, routes,
				ManagementPortWrites.of(environment));
	}

	/** {@code logback.events} without a turbo filter ({@link LogEventMetrics}); Boot's binder stands back. */
	@Bean
	@Conditional(LogbackLogging.class)
	LogbackMetrics logEventMetrics() {
		return new LogEventMetrics((LoggerContext) LoggerFactory.getILoggerFactory());
	}

	/** As Boot's condition for its Logback binder: Logback is SLF4J's logger factory. */
	static final class LogbackLogging extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return ClassUtils.isPresent("ch.qos.logback.classic.LoggerContext", context.getClassLoader())
					&& LoggerFactory.getILoggerFactory() instanceof LoggerContext
							? ConditionOutcome.match("Logback is the logging system")
							: ConditionOutcome.noMatch("Logback is not the logging system");
		}

	}

	@Bean
	UpstreamsHealthIndicator upstreamsHealthIndicator(KnownInstances known, UpstreamRegistry registry) {
		return new UpstreamsHealthIndicator(known, registry);
	}

}
