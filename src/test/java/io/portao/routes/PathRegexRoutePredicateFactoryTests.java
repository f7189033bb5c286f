package io.portao.routes;

import java.net.URI;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import io.portao.config.InvalidConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** nginx's regex location matching: searched, on the decoded path with slashes merged, never on the query. */
class PathRegexRoutePredicateFactoryTests {

	private static boolean matches(String regexp, String target) {
		Predicate<ServerWebExchange> predicate = new PathRegexRoutePredicateFactory()
			.apply(new PathRegexRoutePredicateFactory.Config().setRegexp(regexp));
		return predicate.test(MockServerWebExchange.from(MockServerHttpRequest.method(HttpMethod.GET, URI.create(target))));
	}

	@Test
	void searchesTheDecodedPathWithSlashesMerged() {
		assertThat(matches("\\.png$", "/img/logo.png")).isTrue();
		assertThat(matches("\\.png$", "/img/logo.png?x=.jpg")).isTrue();
		assertThat(matches("\\.png$", "/img/logo.jpg?x=.png")).isFalse();
		assertThat(matches("^/a/b\\.png$", "/a%2Fb%2Epng")).isTrue();
		assertThat(matches("^/x/y$", "/x//y")).isTrue();
		assertThat(matches("(?i)\\.PNG$", "/logo.png")).isTrue();
		assertThat(matches("\\.PNG$", "/logo.png")).isFalse();
		assertThat(matches("^/caf\u00e9$", "/caf%C3%A9")).isTrue();
	}

	@Test
	void aBadExpressionIsRefusedNamingIt() {
		assertThatExceptionOfType(InvalidConfigurationException.class).isThrownBy(() -> matches("(unclosed", "/"))
			.withMessageStartingWith("PathRegex: '(unclosed' (expected: a Java regular expression (Unclosed group");
	}

}
