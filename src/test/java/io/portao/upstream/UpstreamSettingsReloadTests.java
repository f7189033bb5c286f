package io.portao.upstream;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import io.portao.upstream.balancing.Balancer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reload that changes {@code portao.upstream.*} or {@code portao.upstreams.<name>.*}: the upstreams take the new
 * properties from the next request on, their instances keep their state, and a value that cannot be bound leaves
 * the running ones.
 */
class UpstreamSettingsReloadTests {

	final Map<String, Object> properties = new HashMap<>();

	final StandardEnvironment environment = new StandardEnvironment();

	final UpstreamPropertiesBinder binder;

	final UpstreamRegistry registry;

	final UpstreamSettingsReload reload;

	UpstreamSettingsReloadTests() {
		this.environment.getPropertySources().addFirst(new MapPropertySource("file", this.properties));
		this.binder = new UpstreamPropertiesBinder(this.environment);
		this.registry = new UpstreamRegistry(this.binder::forUpstream,
				Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC));
		this.reload = new UpstreamSettingsReload(this.binder, this.registry);
	}

	private void changed(String... keys) {
		this.reload.onApplicationEvent(new EnvironmentChangeEvent(Set.of(keys)));
	}

	@Test
	void aChangedPolicyAndMaxFailsApplyWhileInstancesKeepTheirState() {
		Upstream upstream = this.registry.upstream("bapis");
		InstanceState state = upstream.instance(InstanceStateTests.instance(8080));
		state.attemptStarted();
		assertThat(upstream.balancer().getClass().getSimpleName()).isEqualTo("SmoothRoundRobin");

		this.properties.put("portao.upstreams.bapis.policy", "least-connections");
		this.properties.put("portao.upstream.max-fails", "2");
		changed("portao.upstreams.bapis.policy", "portao.upstream.max-fails");

		assertThat(upstream.policy()).isEqualTo("least-connections");
		assertThat(upstream.balancer().getClass().getSimpleName()).isEqualTo("LeastLoaded");
		assertThat(upstream.settings().maxFails()).isEqualTo(2);
		assertThat(upstream.instance(InstanceStateTests.instance(8080))).as("the same state").isSameAs(state);
		assertThat(state.inFlight()).isEqualTo(1);
		upstream.recordFailure(state, 1_000, "connect refused");
		assertThat(state.isEjected(1_000)).as("one failure of the two max-fails now allows").isFalse();
		upstream.recordFailure(state, 1_000, "connect refused");
		assertThat(state.isEjected(1_000)).isTrue();
	}

	@Test
	void otherKeysAndUnchangedValuesLeaveTheUpstreamAlone() {
		Upstream upstream = this.registry.upstream("bapis");
		Balancer balancer = upstream.balancer();
		UpstreamProperties settings = upstream.settings();

		this.properties.put("portao.upstreams.bapis.policy", "least-connections");
		changed("portao.limits.max-body-size");
		assertThat(upstream.settings()).isSameAs(settings);

		this.properties.put("portao.upstreams.bapis.policy", "round-robin");
		changed("portao.upstreams.bapis.policy");
		assertThat(upstream.balancer()).as("nothing changed: the rotation goes on").isSameAs(balancer);
		assertThat(this.reload.applies("portao.upstreams.bapis.policy")).isTrue();
		assertThat(this.reload.applies("portao.upstream.next-upstream")).isTrue();
		assertThat(this.reload.applies("portao.upstreamx")).isFalse();
	}

	@Test
	void aValueThatCannotBeBoundKeepsTheRunningProperties() {
		Upstream upstream = this.registry.upstream("bapis");
		UpstreamProperties settings = upstream.settings();

		this.properties.put("portao.upstreams.bapis.max-fails", "many");
		changed("portao.upstreams.bapis.max-fails");

		assertThat(upstream.settings()).isSameAs(settings);
	}

	@Test
	void onlyAChangedHealthCheckIsHandedToTheHealthChecks() {
		Upstream upstream = this.registry.upstream("bapis");
		List<String> rescheduled = new ArrayList<>();
		this.registry.onHealthCheckChanged(changed -> rescheduled.add(changed.name()));

		this.properties.put("portao.upstreams.bapis.max-fails", "3");
		changed("portao.upstreams.bapis.max-fails");
		assertThat(rescheduled).as("not a health-check property").isEmpty();

		this.properties.put("portao.upstreams.bapis.health-check.interval", "7s");
		changed("portao.upstreams.bapis.health-check.interval");
		assertThat(upstream.settings().healthCheck().interval()).hasSeconds(7);
		assertThat(rescheduled).containsExactly("bapis");
	}

}
