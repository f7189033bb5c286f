package io.portao.kubernetes;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins what the {@code kubernetes} profile changes: Kubernetes discovery is off in the jar's defaults and on in the
 * profile, after the static instances, with a short instance-list cache.
 */
class KubernetesProfileTests {

	private static Binder load(String... files) throws IOException {
		MutablePropertySources sources = new MutablePropertySources();
		YamlPropertySourceLoader loader = new YamlPropertySourceLoader();
		for (String file : files) {
			// Later files win, as a profile's file wins over application.yml.
			loader.load(file, new ClassPathResource(file)).forEach(sources::addFirst);
		}
		return new Binder(ConfigurationPropertySources.from(sources));
	}

	@Test
	void discoveryIsOffWithoutTheProfile() throws IOException {
		Binder defaults = load("application.yml");
		assertThat(defaults.bind("spring.cloud.kubernetes.discovery.enabled", Boolean.class).get()).isFalse();
		assertThat(defaults.bind("spring.cloud.loadbalancer.cache.ttl", Duration.class).isBound()).isFalse();
	}

	@Test
	void profileTurnsDiscoveryOnAfterStaticInstancesWithAOneSecondCache() throws IOException {
		Binder profile = load("application.yml", "application-kubernetes.yml");
		assertThat(profile.bind("spring.cloud.kubernetes.discovery.enabled", Boolean.class).get()).isTrue();
		// The simple (static) discovery client keeps its default order 0 and is asked first.
		assertThat(profile.bind("spring.cloud.kubernetes.discovery.order", Integer.class).get()).isEqualTo(1);
		assertThat(profile.bind("spring.cloud.discovery.client.simple.order", Integer.class).isBound()).isFalse();
		assertThat(profile.bind("spring.cloud.loadbalancer.cache.ttl", Duration.class).get()).isEqualTo(Duration.ofSeconds(1));
	}

}
