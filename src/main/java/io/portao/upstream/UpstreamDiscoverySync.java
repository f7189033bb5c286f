package io.portao.upstream;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.EventListener;

/**
 * Lists every service and instance discovery knows into the {@link UpstreamRegistry} at start-up and on each
 * discovery refresh ({@link HeartbeatEvent}, which Kubernetes and other catalog clients publish), so that observers
 * see every configured instance before any traffic, and instances removed from discovery disappear from it.
 */
class UpstreamDiscoverySync {

	private static final Log logger = LogFactory.getLog(UpstreamDiscoverySync.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ReactiveDiscoveryClient discovery;

	private final UpstreamRegistry registry;

	UpstreamDiscoverySync(ReactiveDiscoveryClient discovery, UpstreamRegistry registry) {
		this.discovery = discovery;
		this.registry = registry;
	}

	@EventListener({ ApplicationReadyEvent.class, HeartbeatEvent.class })
	void refresh(ApplicationEvent event) {
		sync().subscribe(null, error -> logger.warn("Could not list upstream instances from discovery: " + error));
	}

	/** Lists every service, then each one's instances, without blocking. */
	Mono<Void> sync() {
		return this.discovery.getServices()
			.flatMap(service -> this.discovery.getInstances(service)
				.collectList()
				.doOnNext(instances -> this.registry.upstream(service).sync(instances)))
			.timeout(TIMEOUT)
			.then();
	}

}
