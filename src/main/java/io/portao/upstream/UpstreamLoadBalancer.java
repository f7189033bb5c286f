package io.portao.upstream;

import java.util.ArrayList;
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
 * The balancer of every {@code lb://} upstream: picks among the instances this request has not tried yet, first
 * those UP (an instance back from an ejection takes one trial request per {@code fail-timeout} until one succeeds, as
 * in nginx), then the {@code backup} ones UP, and when none is left, any untried one anyway (nginx tries every
 * server rather than fail without trying; Envoy calls it panic mode). Instances marked {@code down} never take
 * part. The upstream's {@link Balancer} applies the configured policy to that set.
 *
 * <p>Written because Spring Cloud LoadBalancer's balancers have no per-instance state (no least-connections, no
 * latency, no ejection), and a retry sees only a shared counter, so it may pick the instance that just failed
 * (spring-cloud-commons#1371). The instance list still comes from Spring Cloud's {@link ServiceInstanceListSupplier}.
 */
public class UpstreamLoadBalancer implements ReactorServiceInstanceLoadBalancer {

	private final ObjectProvider<ServiceInstanceListSupplier> suppliers;

	private final UpstreamRegistry registry;

	private final Upstream upstream;

	/**
	 * The supplier, resolved on first use and kept: {@code getIfAvailable} is a bean-factory lookup, 4 % of the
	 * event loops' samples when done per request (docs/performance.md). The supplier bean is a singleton of the
	 * service's load-balancer context, so resolving it once is equivalent; a race resolves the same bean twice.
	 */
	private volatile ServiceInstanceListSupplier supplier;

	public UpstreamLoadBalancer(ObjectProvider<ServiceInstanceListSupplier> suppliers, UpstreamRegistry registry,
			String serviceId) {
		this.suppliers = suppliers;
		this.registry = registry;
		this.upstream = registry.upstream(serviceId);
	}

	@Override
	public Mono<Response<ServiceInstance>> choose(Request request) {
		ServiceInstanceListSupplier supplier = supplier();
		Set<String> tried = RequestAttempts.triedBy(request);
		return supplier.get(request).next().map(instances -> choose(instances, tried));
	}

	private ServiceInstanceListSupplier supplier() {
		ServiceInstanceListSupplier resolved = this.supplier;
		if (resolved != null) {
			return resolved;
		}
		resolved = this.suppliers.getIfAvailable();
		if (resolved == null) {
			// Not cached: a context without a supplier yet answers "no instances" until it has one.
			return new NoopServiceInstanceListSupplier();
		}
		this.supplier = resolved;
		return resolved;
	}

	Response<ServiceInstance> choose(List<ServiceInstance> instances, Set<String> tried) {
		if (instances.isEmpty()) {
			return new EmptyResponse();
		}
		this.upstream.syncIfChanged(instances);
		long now = this.registry.now();
		Candidates candidates = collect(instances, tried, now, Tier.PRIMARY);
		if (candidates.isEmpty()) {
			candidates = collect(instances, tried, now, Tier.BACKUP);
		}
		if (candidates.isEmpty()) {
			candidates = collect(instances, tried, now, Tier.ANY);
		}
		if (candidates.isEmpty()) {
			return new EmptyResponse();
		}
		return new DefaultResponse(pick(candidates, now));
	}

	/** The policy's pick, passing over an instance whose one trial after an ejection another request just took. */
	private ServiceInstance pick(Candidates candidates, long now) {
		while (true) {
			int picked = this.upstream.balancer().pick(candidates.states, now);
			if (candidates.states.get(picked).claimTrial(now) || candidates.states.size() == 1) {
				return candidates.instances.get(picked);
			}
			candidates.remove(picked);
		}
	}

	private Candidates collect(List<ServiceInstance> instances, Set<String> tried, long now, Tier tier) {
		Candidates candidates = new Candidates(instances.size());
		for (ServiceInstance instance : instances) {
			InstanceState state = this.upstream.instance(instance);
			if (!state.isHeldOut() && !tried.contains(state.authority()) && tier.admits(state, now)) {
				candidates.add(instance, state);
			}
		}
		return candidates;
	}

	/** The request's context type; kept here so the cast has one home. */
	static RequestDataContext context(Request<?> request) {
		return (request.getContext() instanceof RequestDataContext context) ? context : null;
	}

	/** Which instances a pass admits, in the order passes are tried. */
	private enum Tier {

		PRIMARY, BACKUP, ANY;

		boolean admits(InstanceState state, long now) {
			return switch (this) {
				case PRIMARY -> !state.isBackup() && state.status(now) == InstanceStatus.UP && state.trialDue(now);
				case BACKUP -> state.isBackup() && state.status(now) == InstanceStatus.UP && state.trialDue(now);
				case ANY -> true;
			};
		}

	}

	/** Instances and their states, index for index. */
	private static final class Candidates {

		final List<ServiceInstance> instances;

		final List<InstanceState> states;

		Candidates(int capacity) {
			this.instances = new ArrayList<>(capacity);
			this.states = new ArrayList<>(capacity);
		}

		void add(ServiceInstance instance, InstanceState state) {
			this.instances.add(instance);
			this.states.add(state);
		}

		void remove(int index) {
			this.instances.remove(index);
			this.states.remove(index);
		}

		boolean isEmpty() {
			return this.states.isEmpty();
		}

	}

}
