package io.portao.framework;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.http.HttpCookie;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import io.portao.framework.LeanLoadBalancerClientFilter.LazyCookiesRequestData;

import static org.assertj.core.api.Assertions.assertThat;

/** The balancer's request data is Spring's, the cookies copied only when read. */
class LazyCookiesRequestDataTests {

	@Test
	void sameDataAsSpringsRequestData() {
		ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("http://gw/p?q=1")
			.cookie(new HttpCookie("a", "1"), new HttpCookie("b", "2"), new HttpCookie("a", "3"))
			.header("X-Hint", "h"));
		exchange.getAttributes().put("k", "v");
		RequestData spring = new RequestData(exchange.getRequest(), exchange.getAttributes());
		RequestData lean = new LazyCookiesRequestData(exchange);

		assertThat(lean.getHttpMethod()).isEqualTo(spring.getHttpMethod());
		assertThat(lean.getUrl()).isEqualTo(spring.getUrl());
		assertThat(lean.getHeaders()).isEqualTo(spring.getHeaders());
		assertThat(lean.getAttributes()).isSameAs(exchange.getAttributes());
		assertThat(lean.getCookies()).isEqualTo(spring.getCookies()).isEqualTo(Map.of("a", List.of("3"), "b", List.of("2")));
		assertThat(lean.getCookies()).isSameAs(lean.getCookies());
	}

	@Test
	void noCookieHeaderGivesNoCookies() {
		ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("http://gw/"));
		assertThat(new LazyCookiesRequestData(exchange).getCookies()).isEmpty();
	}

}
