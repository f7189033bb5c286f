package io.portao.framework;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.cloud.gateway.filter.headers.GRPCRequestHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveXForwardedHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each lean filter sends exactly the headers Spring Cloud Gateway's own filter sends, and skips the copy only when
 * that filter would change nothing.
 */
class CopyOnlyWhenNeededTests {

	private static final CopyOnlyWhenNeeded postProcessor = new CopyOnlyWhenNeeded();

	static Stream<HttpHeadersFilter> originals() {
		return Stream.of(new RemoveHopByHopHeadersFilter(), new RemoveForwardedHeadersFilter(),
				new RemoveXForwardedHeadersFilter(), new GRPCRequestHeadersFilter());
	}

	static List<List<String>> requests() {
		return List.of(List.of("Host", "h"), List.of("Host", "h", "Accept", "*/*", "User-Agent", "wrk"),
				List.of("Host", "h", "Connection", "keep-alive"), List.of("Host", "h", "Connection", "close, X-Secret",
						"X-Secret", "s"),
				List.of("Host", "h", "keep-alive", "timeout=5"), List.of("Host", "h", "TE", "trailers"),
				List.of("Host", "h", "Proxy-Authorization", "Basic x"), List.of("Host", "h", "Upgrade", "websocket"),
				List.of("Host", "h", "Forwarded", "for=1.2.3.4"), List.of("Host", "h", "forwarded", "for=1.2.3.4"),
				List.of("Host", "h", "X-Forwarded-For", "1.2.3.4"), List.of("Host", "h", "x-forwarded-host", "e"),
				List.of("Host", "h", "X-Forwardedx", "1"), List.of("Host", "h", "Content-Type", "application/grpc"),
				List.of("Host", "h", "Content-Type", "Application/GRPC+proto"),
				List.of("Host", "h", "Content-Type", "application/json"),
				List.of("Host", "h", "content-type", "application/grpc"), List.of("Host", "h", "FORWARDED", "for=x"));
	}

	static Stream<Object[]> cases() {
		return originals().flatMap(filter -> requests().stream().map(request -> new Object[] { filter, request }));
	}

	@ParameterizedTest
	@MethodSource("cases")
	void sendsWhatSpringCloudGatewaySendsAndCopiesOnlyToChangeSomething(HttpHeadersFilter original,
			List<String> request) {
		MockServerHttpRequest.BaseBuilder<?> builder = MockServerHttpRequest.get("http://h/x");
		for (int i = 0; i < request.size(); i += 2) {
			builder.header(request.get(i), request.get(i + 1));
		}
		MockServerWebExchange exchange = MockServerWebExchange.from(builder);
		HttpHeaders input = exchange.getRequest().getHeaders();
		HttpHeadersFilter lean = (HttpHeadersFilter) postProcessor.postProcessAfterInitialization(original, "f");

		HttpHeaders expected = original.filter(input, exchange);
		HttpHeaders actual = lean.filter(input, exchange);

		assertThat(lean).isInstanceOf(original.getClass()).isNotSameAs(original);
		assertThat(((Ordered) lean).getOrder()).isEqualTo(((Ordered) original).getOrder());
		assertThat(actual.toSingleValueMap()).isEqualTo(expected.toSingleValueMap());
		assertThat(actual.headerNames()).containsExactlyElementsOf(expected.headerNames());
		assertThat(actual == input).isEqualTo(expected.toSingleValueMap().equals(input.toSingleValueMap()));
	}

	@Test
	void hopByHopKeepsTheBoundHeadersAndOrder() {
		RemoveHopByHopHeadersFilter bound = new RemoveHopByHopHeadersFilter();
		bound.setHeaders(Set.of("x-secret", "connection"));
		bound.setOrder(42);
		RemoveHopByHopHeadersFilter lean = (RemoveHopByHopHeadersFilter) postProcessor
			.postProcessAfterInitialization(bound, "f");
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("http://h/x").header("X-Secret", "s").header("TE", "trailers"));

		HttpHeaders sent = lean.filter(exchange.getRequest().getHeaders(), exchange);

		assertThat(lean.getOrder()).isEqualTo(42);
		assertThat(lean.getHeaders()).isEqualTo(Set.of("x-secret", "connection"));
		assertThat(sent.headerNames()).containsExactly("TE");
	}

}
