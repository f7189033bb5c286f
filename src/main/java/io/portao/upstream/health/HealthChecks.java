package io.portao.upstream.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.client.HttpClient;

import org.springframework.context.SmartLifecycle;

import io.portao.upstream.HealthCheckProperties;
import io.portao.upstream.InstanceState;
import io.portao.upstream.InstanceStatus;
import io.portao.upstream.NextUpstreamPolicy;
import io.portao.upstream.Upstream;
import io.portao.upstream.UpstreamRegistry;

/**
 * Active health checks (NGINX Plus {@code health_check}, Envoy {@code health_checks}) for every upstream whose
 * {@code health-check.enabled} is true: every {@code interval}, a {@code GET path} to each instance that has no
 * probe in flight, on Reactor Netty's event loop (never blocking), over a new connection each time (the way a
 * new client would reach it). Results feed {@link InstanceState#probeEnded}. Ticks come from a Reactor
 * {@link Scheduler}, virtual in tests; all stop when the application context stops.
 */
public final class HealthChecks implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(HealthChecks.class);

	private final UpstreamRegistry registry;

	private final Scheduler scheduler;

	private final HttpClient client;

	private final Map<String, Disposable> tickers = new ConcurrentHashMap<>();

	private volatile boolean running;

	public HealthChecks(UpstreamRegistry registry, Scheduler scheduler) {
		this.registry = registry;
		this.scheduler = scheduler;
		this.client = HttpClient.newConnection().followRedirect(false);
		// The probe's timeout is a Reactor timeout on the checks' scheduler (virtual in tests), not Reactor
		// Netty's responseTimeout, which runs on real time.
	}

	@Override
	public void start() {
		this.running = true;
		this.registry.onCreated(this::schedule);
		this.registry.onHealthCheckChanged(this::reschedule);
	}

	@Override
	public void stop() {
		this.running = false;
		this.tickers.values().forEach(Disposable::dispose);
		this.tickers.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Probes {@code upstream} by its current properties: a reload changed its health check. */
	void reschedule(Upstream upstream) {
		Disposable ticker = this.tickers.remove(upstream.name());
		if (ticker != null) {
			ticker.dispose();
		}
		schedule(upstream);
	}

	private void schedule(Upstream upstream) {
		HealthCheckProperties check = upstream.settings().healthCheck();
		if (!this.running || !check.enabled()) {
			return;
		}
		this.tickers.computeIfAbsent(upstream.name(), name -> Flux.interval(Duration.ZERO, check.interval(), this.scheduler)
			.subscribe(tick -> probeAll(upstream, check)));
	}

	/** One probe per instance that has none in flight: a slow instance is not probed twice at once. */
	void probeAll(Upstream upstream, HealthCheckProperties check) {
		for (InstanceState instance : upstream.instances().values()) {
			if (instance.probes().start()) {
				probe(instance, check).subscribe();
			}
		}
	}

	Mono<Void> probe(InstanceState instance, HealthCheckProperties check) {
		return this.client
			.option(io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) check.timeout().toMillis())
			.get()
			.uri("http://" + instance.authority() + check.path())
			.response((response, body) -> body.then(Mono.just(response.status().code())))
			.next()
			.timeout(check.timeout(), this.scheduler)
			.map(status -> check.expects(status) ? "" : "http " + status)
			.onErrorResume(error -> Mono.just(NextUpstreamPolicy.describe(error)))
			.defaultIfEmpty("no response")
			.doOnNext(failure -> ended(instance, check, failure))
			.doOnCancel(instance.probes()::cancelled)
			.then();
	}

	private void ended(InstanceState instance, HealthCheckProperties check, String failure) {
		boolean wasDown = instance.status(this.registry.now()) == InstanceStatus.DOWN;
		instance.probeEnded(failure.isEmpty(), this.registry.now(), failure, check);
		boolean down = instance.status(this.registry.now()) == InstanceStatus.DOWN;
		if (down != wasDown) {
			logger.warn("instance " + instance.authority() + " is " + (down ? "DOWN: health check " + failure : "UP"));
		}
	}

}
