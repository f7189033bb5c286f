package io.portao.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import io.portao.upstream.InstanceState;
import io.portao.upstream.InstanceStatus;
import io.portao.upstream.UpstreamRegistry;

/**
 * The {@code upstreams} health component: UP while every upstream has at least one instance UP, DOWN as soon as
 * one upstream has none; details give each instance's state. It is in {@code /actuator/health} only, never in the
 * liveness or readiness groups (see {@code docs/observability.md}): a dead backend must neither restart nor
 * unroute the gateway.
 */
public record UpstreamsHealthIndicator(KnownInstances known, UpstreamRegistry registry) implements HealthIndicator {

	@Override
	public Health health() {
		long now = this.registry.now();
		boolean allServed = true;
		Map<String, Object> details = new LinkedHashMap<>();
		for (Map.Entry<String, Map<String, InstanceState>> upstream : this.known.all().entrySet()) {
			Map<String, String> states = new LinkedHashMap<>();
			upstream.getValue().forEach((authority, state) -> states.put(authority, state.status(now).name()));
			allServed &= states.containsValue(InstanceStatus.UP.name());
			details.put(upstream.getKey(), states);
		}
		return (allServed ? Health.up() : Health.down()).withDetails(details).build();
	}

}
