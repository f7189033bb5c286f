package io.portao.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.EventListener;

/**
 * Lists the instances of every upstream a route sends to ({@code lb://name}) into the {@link UpstreamRegistry} at
 * start-up and on each discovery refresh ({@link HeartbeatEvent}, which Kubernetes and other catalog clients
 * publish), so that observers and health checks see every configured instance before any traffic, and instances
 * removed from discovery disappear from it. Only route targets: a Kubernetes discovery client lists every Service
 * of the namespace, which must neither be probed nor count in the gateway's health.
 */
public class UpstreamDiscoverySync {

	private static final Log logger = LogFactory.getLog(UpstreamDiscoverySync.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ReactiveDiscoveryClient discovery;

	private final UpstreamRegistry registry;

	private final Supplier<Flux<String>> upstreams;

	UpstreamDiscoverySync(ReactiveDiscoveryClient discovery, UpstreamRegistry registry,
			Supplier<Flux<String>> upstreams) {
		this.discovery = discovery;
		this.registry = registry;
		this.upstreams = upstreams;
	}

	/** The upstream names of the {@code lb://} routes; the route cache answers without I/O. */
	static Flux<String> routedUpstreams(RouteLocator routes) {
		return routes.getRoutes()
			.map(Route::getUri)
			.filter(uri -> "lb".equals(uri.getScheme()) && uri.getHost() != null)
			.map(URI::getHost)
			.distinct();
	}

	@EventListener({ ApplicationReadyEvent.class, HeartbeatEvent.class })
	void refresh(ApplicationEvent event) {
		sync().subscribe(null, error -> logger.warn("Could not list upstream instances from discovery: " + error));
	}

	/** Lists every routed upstream's instances, without blocking. */
	public Mono<Void> sync() {
		return this.upstreams.get()
			.flatMap(service -> this.discovery.getInstances(service)
				.collectList()
				.doOnNext(instances -> this.registry.upstream(service).sync(instances)))
			.timeout(TIMEOUT)
			.then();
	}

}
