package io.portao.metrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import io.portao.config.ManagementPortWrites;
import io.portao.metrics.UpstreamsReport.HealthCheck;
import io.portao.metrics.UpstreamsReport.InstanceReport;
import io.portao.metrics.UpstreamsReport.LastFailure;
import io.portao.metrics.UpstreamsReport.RouteReport;
import io.portao.metrics.UpstreamsReport.Latency;
import io.portao.metrics.UpstreamsReport.UpstreamReport;
import io.portao.proxy.ProxyLaneRoutes;
import io.portao.upstream.InstanceControl;
import io.portao.upstream.InstanceProbes;
import io.portao.upstream.InstanceState;
import io.portao.upstream.Upstream;
import io.portao.upstream.UpstreamRegistry;

/**
 * {@code /actuator/upstreams} and {@code /actuator/upstreams/{name}}: each instance's state, counts and latency
 * (NGINX Plus's {@code /api/…/http/upstreams}, Envoy's {@code /clusters} plus latency); and one write operation,
 * {@code POST /actuator/upstreams/{name}/{host:port}} with {@code {"state": "drain" | "down" | "up"}}, the NGINX Plus
 * API's {@code PATCH …/servers/{id}} with {@code drain}/{@code down}. The write answers only when Actuator has a port
 * of its own (the default, 9901 on loopback): nothing writable is ever reachable from the public port.
 */
@Endpoint(id = "upstreams")
public record UpstreamsEndpoint(KnownInstances known, UpstreamRegistry registry, UpstreamMetrics metrics,
		ObjectProvider<ProxyLaneRoutes> laneRoutes, ManagementPortWrites writes) {

	@ReadOperation
	public UpstreamsReport upstreams() {
		long now = this.registry.now();
		Map<String, UpstreamReport> upstreams = new LinkedHashMap<>();
		this.known.all().forEach((name, instances) -> upstreams.put(name,
				report(this.registry.upstream(name).policy(), instances, now)));
		return new UpstreamsReport(upstreams, routes());
	}

	/** One upstream, or {@code null} (404) when there is none by that name. */
	@ReadOperation
	public UpstreamReport upstream(@Selector String name) {
		Upstream upstream = this.known.upstream(name);
		if (upstream == null) {
			return null;
		}
		return report(upstream.policy(), KnownInstances.sorted(upstream), this.registry.now());
	}

	/**
	 * Sets one instance to drain, down or up: effective for the next request the balancer places; the instance's
	 * row after the change. 403 when Actuator shares the public port, 400 for another state, 404 for an unknown
	 * upstream or instance.
	 */
	@WriteOperation
	public WebEndpointResponse<Object> control(@Selector String name, @Selector String instance, String state) {
		WebEndpointResponse<Object> refusal = this.writes.refusal("instance states are set");
		if (refusal != null) {
			return refusal;
		}
		InstanceControl control = InstanceControl.parse(state);
		if (control == null) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, "state: '" + state + "' (expected: drain, down or up)");
		}
		Upstream upstream = this.known.upstream(name);
		InstanceState changed = (upstream != null) ? upstream.control(instance, control) : null;
		if (changed == null) {
			return error(WebEndpointResponse.STATUS_NOT_FOUND, "no instance '" + instance + "' in upstream '" + name
					+ "' (expected: host:port of an instance listed by GET /actuator/upstreams)");
		}
		return new WebEndpointResponse<>(row(changed, this.registry.now()));
	}

	private static WebEndpointResponse<Object> error(int status, String message) {
		return new WebEndpointResponse<>(Map.of("error", message), status);
	}

	/** Each route's path, lane or gateway, in the gateway's order. */
	private Map<String, RouteReport> routes() {
		Map<String, RouteReport> routes = new LinkedHashMap<>();
		ProxyLaneRoutes lane = this.laneRoutes.getIfAvailable();
		if (lane != null) {
			lane.paths().forEach((id, path) -> routes.put(id, path.equals("lane") ? new RouteReport("lane", null)
					: new RouteReport("gateway", path.substring("gateway: ".length()))));
		}
		return routes;
	}

	private UpstreamReport report(String policy, Map<String, InstanceState> instances, long now) {
		List<InstanceReport> rows = new ArrayList<>(instances.size());
		instances.values().forEach(instance -> rows.add(row(instance, now)));
		return new UpstreamReport(policy, rows);
	}

	private InstanceReport row(InstanceState instance, long now) {
		return new InstanceReport("http://" + instance.authority(), instance.status(now).name(), instance.requests(),
				instance.failures(), instance.inFlight(), latency(instance), lastFailure(instance),
				instance.isEjected(now) ? Instant.ofEpochMilli(instance.ejectedUntil()).toString() : null,
				(instance.control() != null) ? instance.control().name() : null, instance.weight(), instance.isBackup(),
				this.metrics.responsesByClass(instance), healthCheck(instance.probes().last()));
	}

	private static HealthCheck healthCheck(InstanceProbes.Probe probe) {
		return (probe != null) ? new HealthCheck(probe.at().toString(), probe.passed(), probe.cause()) : null;
	}

	private Latency latency(InstanceState instance) {
		double[] percentiles = this.metrics.percentilesMillis(instance);
		return (percentiles != null) ? new Latency(round(percentiles[0]), round(percentiles[1])) : null;
	}

	private static LastFailure lastFailure(InstanceState instance) {
		Instant at = instance.lastFailureAt();
		return (at != null) ? new LastFailure(at.toString(), instance.lastFailureCause()) : null;
	}

	private static double round(double millis) {
		return Math.round(millis * 10) / 10.0;
	}

}
