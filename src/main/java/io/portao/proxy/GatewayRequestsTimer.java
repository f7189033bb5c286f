package io.portao.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import org.springframework.cloud.gateway.filter.GatewayMetricsFilter;
import org.springframework.cloud.gateway.support.tagsprovider.GatewayHttpTagsProvider;
import org.springframework.cloud.gateway.support.tagsprovider.GatewayRouteTagsProvider;
import org.springframework.cloud.gateway.support.tagsprovider.PropertiesTagsProvider;
import org.springframework.http.HttpStatus;

/**
 * {@code spring.cloud.gateway.requests} for one route's lane requests, with the tags Spring Cloud Gateway's
 * {@link GatewayMetricsFilter} gets from its default providers ({@link GatewayHttpTagsProvider},
 * {@link GatewayRouteTagsProvider}, {@link PropertiesTagsProvider}): the timer is looked up once per method and
 * status and kept, not built from a tag list per request (the lane is only on when those providers are all
 * there are).
 */
final class GatewayRequestsTimer {

	private final MeterRegistry registry;

	private final String name;

	private final Tags routeTags;

	private final Map<Integer, Timer> byStatus = new ConcurrentHashMap<>();

	GatewayRequestsTimer(MeterRegistry registry, String prefix, String routeId, String routeUri,
			Map<String, String> propertyTags) {
		this.registry = registry;
		this.name = (prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix) + ".requests";
		Tags tags = Tags.of("routeId", routeId, "routeUri", routeUri);
		for (Map.Entry<String, String> tag : propertyTags.entrySet()) {
			tags = tags.and(tag.getKey(), tag.getValue());
		}
		this.routeTags = tags;
	}

	/** Records a {@code GET} (the lane's only method) that was answered {@code status} after {@code nanos}. */
	void record(int status, long nanos) {
		Timer timer = this.byStatus.get(status);
		if (timer == null) {
			timer = this.byStatus.computeIfAbsent(status, this::timer);
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}

	private Timer timer(int status) {
		HttpStatus resolved = HttpStatus.resolve(status);
		String outcome = (resolved != null) ? resolved.series().name() : "CUSTOM";
		String statusName = (resolved != null) ? resolved.name() : String.valueOf(status);
		return this.registry.timer(this.name, Tags.of("outcome", outcome, "status", statusName, "httpStatusCode",
				String.valueOf(status), "httpMethod", "GET").and(this.routeTags));
	}

}
