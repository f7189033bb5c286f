package io.portao.upstream;

import java.util.List;
import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.EmptyResponse;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.NoopServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * nginx's default balancing: round robin over the upstream's instances, skipping those left out after failures
 * ({@code max_fails}/{@code fail_timeout}) and those this request already tried ({@code proxy_next_upstream}).
 *
 * <p>Written because Spring Cloud LoadBalancer's {@code RoundRobinLoadBalancer} cannot do either: it has no
 * per-instance state, and a retry sees only a shared counter, so it may pick the instance that just failed
 * (spring-cloud-commons#1371). The instance list still comes from Spring Cloud's {@link ServiceInstanceListSupplier}.
 */
public class RoundRobinFailoverLoadBalancer implements ReactorServiceInstanceLoadBalancer {

	private final ObjectProvider<ServiceInstanceListSupplier> suppliers;

	private final UpstreamRegistry registry;

	private final Upstream upstream;

	public RoundRobinFailoverLoadBalancer(ObjectProvider<ServiceInstanceListSupplier> suppliers,
			UpstreamRegistry registry, String serviceId) {
		this.suppliers = suppliers;
		this.registry = registry;
		this.upstream = registry.upstream(serviceId);
	}

	@Override
	public Mono<Response<ServiceInstance>> choose(Request request) {
		ServiceInstanceListSupplier supplier = this.suppliers.getIfAvailable(NoopServiceInstanceListSupplier::new);
		Set<String> tried = Attempts.triedBy(request);
		return supplier.get(request).next().map(instances -> choose(instances, tried));
	}

	Response<ServiceInstance> choose(List<ServiceInstance> instances, Set<String> tried) {
		int count = instances.size();
		if (count == 0) {
			return new EmptyResponse();
		}
		int start = this.upstream.nextPosition();
		long now = this.registry.now();
		ServiceInstance fallback = null;
		for (int i = 0; i < count; i++) {
			ServiceInstance candidate = instances.get((start + i) % count);
			InstanceState state = this.upstream.instance(candidate);
			if (tried.contains(state.authority())) {
				continue;
			}
			if (!state.isEjected(now)) {
				return new DefaultResponse(candidate);
			}
			if (fallback == null) {
				fallback = candidate;
			}
		}
		// Every untried instance is left out: nginx then tries them anyway rather than fail without trying.
		return (fallback != null) ? new DefaultResponse(fallback) : new EmptyResponse();
	}

	/** The request's context type; kept here so the cast has one home. */
	static RequestDataContext context(Request<?> request) {
		return (request.getContext() instanceof RequestDataContext context) ? context : null;
	}

}
