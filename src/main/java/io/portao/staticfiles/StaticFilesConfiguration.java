package io.portao.staticfiles;

import java.time.Duration;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.web.WebProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.autoconfigure.NettyServerProperties;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webflux.autoconfigure.WebFluxProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.StringUtils;

import io.portao.accesslog.AccessLog;
import io.portao.headers.TrustedProxyAddresses;
import io.portao.lane.Lane;
import io.portao.lane.LaneConfiguration;
import io.portao.lane.LaneFallback;
import io.portao.lane.LaneRecorder;
import io.portao.stages.RequestStages;

/**
 * Static files, nginx's {@code location /static/ { root ...; }}: {@code spring.webflux.static-path-pattern} served
 * from {@code spring.web.resources.static-locations}, or each of {@code portao.static-files.locations} from its
 * directory ({@link StaticSite}), by a handler mapping ordered after the actuator's (-100) and before Spring Cloud
 * Gateway's routes (1), so even a {@code Path=/**} route never sees these paths.
 *
 * <p>The caching headers wrap the file handler: nginx's {@code expires max} on a query
 * ({@link Expires.MaxOnQuery}), the version check ({@link VersionCheckedCachingHandler}) in front of it for
 * requests carrying the version parameter, or a fixed {@code expires} ({@link Expires}).
 *
 * <p>Boot's own registration stays off ({@code spring.web.resources.add-mappings: false}): it also maps
 * {@code /webjars/**}, which would shadow proxied paths.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ WebProperties.class, WebFluxProperties.class })
public class StaticFilesConfiguration {

	@Bean
	@ConditionalOnProperty(name = StaticFilesProperties.PREFIX + ".enabled", matchIfMissing = true)
	StaticFilesHandlerMapping staticFilesHandlerMapping(WebFluxProperties webFlux, WebProperties web,
			StaticFilesProperties properties, ResourceLoader resourceLoader) throws Exception {
		return new StaticFilesHandlerMapping(
				StaticSite.build(properties, web.getResources(), webFlux.getStaticPathPattern(), resourceLoader),
				RequestStages.Mapping.STATIC_FILES);
	}

	/** What the static locations may answer, for the proxy lane, which leaves those requests to them. */
	@Bean
	@ConditionalOnProperty(name = StaticFilesProperties.PREFIX + ".enabled", matchIfMissing = true)
	StaticPaths staticPaths(StaticFilesHandlerMapping mapping) {
		return new StaticPaths(mapping);
	}

	/**
	 * The {@link StaticFileLane} for plain {@code GET}s of files, ahead of Spring's HTTP adapter, unless the lanes
	 * are off ({@code portao.proxy.lane.enabled}) or the application has a base path (the lane matches the raw
	 * request target). It serves the locations that are directories on the file system; a request for another goes
	 * to the web stack. A {@code null} bean is left out of the lanes.
	 */
	@Bean
	@Order(RequestStages.Lanes.STATIC_FILES)
	@ConditionalOnProperty(name = StaticFilesProperties.PREFIX + ".enabled", matchIfMissing = true)
	@ConditionalOnBooleanProperty(name = LaneConfiguration.ENABLED, matchIfMissing = true)
	@Nullable
	Lane staticFileLane(StaticFilesHandlerMapping mapping, WebFluxProperties webFlux, TrustedProxyAddresses trustedProxies,
			LaneFallback fallback, ObjectProvider<AccessLog> accessLog, ApplicationContext context) {
		if (StringUtils.hasText(webFlux.getBasePath())) {
			return null;
		}
		return new StaticFileLane(mapping, trustedProxies, fallback, pattern -> LaneRecorder.create(context, pattern),
				accessLog.getIfAvailable());
	}

	/** What {@link StaticFileHandler} has in flight, waited for before the web server's graceful shutdown. */
	@Bean
	@ConditionalOnProperty(name = StaticFilesProperties.PREFIX + ".enabled", matchIfMissing = true)
	@ConditionalOnBooleanProperty(name = LaneConfiguration.ENABLED, matchIfMissing = true)
	StaticFileDrain staticFileDrain(Environment environment) {
		return new StaticFileDrain(environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase",
				Duration.class, Duration.ofSeconds(30)));
	}

	/**
	 * {@link StaticFileHandler} on the public port's cleartext HTTP/1.1 connections, when the static lane is on
	 * and responses are not compressed (a compressed or TLS response needs the file in buffers: the route lane
	 * sends those). Public port only, as {@code lane.LaneConfiguration} explains for the route lane.
	 */
	@Bean
	@ConditionalOnProperty(name = StaticFilesProperties.PREFIX + ".enabled", matchIfMissing = true)
	@ConditionalOnBooleanProperty(name = LaneConfiguration.ENABLED, matchIfMissing = true)
	WebServerFactoryCustomizer<NettyReactiveWebServerFactory> staticFileHandler(ObjectProvider<Lane> lanes,
			ObjectProvider<NettyServerProperties> netty, StaticFileDrain drain) {
		return factory -> {
			if (factory.getCompression() != null && factory.getCompression().getEnabled()) {
				return;
			}
			NettyServerProperties properties = netty.getIfAvailable();
			Integer max = (properties != null) ? properties.getMaxKeepAliveRequests() : null;
			int maxKeepAliveRequests = (max != null) ? max : -1;
			// Looked up at the first connection, not here: the factory is customized before the lanes exist.
			LaneLookup<StaticFileLane> staticFileLane = new LaneLookup<>(lanes, StaticFileLane.class);
			factory.addServerCustomizers(server -> server.doOnChannelInit((observer, channel, remote) -> {
				ChannelPipeline pipeline = channel.pipeline();
				if (pipeline.get(NettyPipeline.HttpTrafficHandler) == null || pipeline.get(SslHandler.class) != null) {
					return;
				}
				StaticFileLane lane = staticFileLane.get();
				if (lane != null) {
					pipeline.addBefore(NettyPipeline.HttpTrafficHandler, StaticFileHandler.NAME,
							new StaticFileHandler(lane, drain, maxKeepAliveRequests));
				}
			}));
		};
	}


	/**
	 * A reload ({@code reload.ConfigReloader}) that changes the static settings serves the new locations from the
	 * next request on; a new configuration that cannot be built is logged and the running one stays.
	 */
	@Bean
	@ConditionalOnProperty(name = StaticFilesProperties.PREFIX + ".enabled", matchIfMissing = true)
	StaticSiteReload staticSiteReload(StaticFilesHandlerMapping mapping, Environment environment,
			ResourceLoader resourceLoader) {
		return new StaticSiteReload(mapping, environment, resourceLoader);
	}

}
