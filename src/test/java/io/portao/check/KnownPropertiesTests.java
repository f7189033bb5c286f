package io.portao.check;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.portao.upstream.balancing.BalancingPolicy;

import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The unknown-property matcher over the real metadata of the class path: names Boot binds are known (relaxed
 * spelling, map keys, list indices, bean properties below Map and List properties), others are not, with the
 * closest known name when one is a likely typo.
 */
class KnownPropertiesTests {

	static final KnownProperties known = KnownProperties.load(KnownPropertiesTests.class.getClassLoader());

	@ParameterizedTest
	@ValueSource(strings = { "server.port", "server.maxHttpRequestHeaderSize",
			"spring.config.additional-location", "portao.upstream.max-fails", "portao.tls.redirect-port",
			"spring.cloud.gateway.server.webflux.routes[0].id",
			"spring.cloud.gateway.server.webflux.routes[0].predicates[0].args.pattern",
			"spring.cloud.gateway.server.webflux.routes[0].metadata.any.depth",
			"spring.cloud.discovery.client.simple.instances.bapis[0].uri",
			"spring.cloud.discovery.client.simple.instances.bapis[1].metadata.weight",
			"spring.ssl.bundle.pem.web.keystore.private-key", "spring.ssl.bundle.pem.web.reload-on-update",
			"logging.level.reactor.netty.http.client.HttpClientConnect", "spring.web.resources.static-locations[0]",
			"portao.upstreams.bapis.health-check.path", "portao.upstreams.bapis.next-upstream[0]", "server.ssl" })
	void knownNames(String name) {
		assertThat(known.match(name).known()).as(name).isTrue();
	}

	@Test
	void typeOfANameBelowAListOfBeansIsTheBeanPropertysType() {
		assertThat(known.match("spring.cloud.gateway.server.webflux.routes[0].predicates[0]").type().toClass())
			.isEqualTo(PredicateDefinition.class);
		assertThat(known.match("portao.upstreams.bapis.policy").type().toClass()).isEqualTo(BalancingPolicy.class);
		assertThat(known.match("spring.cloud.discovery.client.simple.instances.bapis[0].metadata.weight").type()
			.toClass()).isEqualTo(String.class);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "portao.upstream.max-fail | portao.upstream.max-fails",
			"server.prot | server.port",
			"spring.cloud.gateway.server.webflux.routes[0].predicate[0] | spring.cloud.gateway.server.webflux.routes[0].predicates",
			"spring.cloud.discovery.client.simple.instance.bapis[0].uri | spring.cloud.discovery.client.simple.instances",
			"spring.cloud.discovery.client.simple.instances.bapis[0].url | spring.cloud.discovery.client.simple.instances.bapis[0].uri",
			"portao.upstreams.bapis.polcy | portao.upstreams.bapis.policy",
			"server.max-http-header-size | server.max-http-request-header-size",
			"spring.cloud.gateway.routes[0].uri | spring.cloud.gateway.server.webflux.routes[0].uri",
			"spring.cloud.gateway.httpclient.connect-timeout | spring.cloud.gateway.server.webflux.httpclient.connect-timeout" })
	void typoRemovedOrGateway4NameIsUnknownWithTheKnownName(String name, String suggestion) {
		PropertyMatch match = known.match(name);
		assertThat(match.known()).isFalse();
		assertThat(match.suggestion()).isEqualTo(suggestion);
	}

	@ParameterizedTest
	@ValueSource(strings = { "nginx.worker-processes", "server.port.number",
			"spring.cloud.gateway.server.webflux.routes.id", "spring.cloud.gateway.routes[0].uri" })
	void unknownNames(String name) {
		assertThat(known.match(name).known()).as(name).isFalse();
	}

	@Test
	void suggestionsAreTyposOnly() {
		assertThat(Suggestions.closest("max-fail", List.of("max-fails", "fail-timeout"))).isEqualTo("max-fails");
		assertThat(Suggestions.closest("worker-processes", List.of("max-fails", "fail-timeout"))).isNull();
	}

}
