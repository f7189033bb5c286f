package io.portao.lane;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/** The hook's switch, and the order in which the lanes are asked. */
class LaneConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(LaneConfiguration.class);

	@Test
	@SuppressWarnings("unchecked")
	void onByDefaultTheServerFactoryGetsTheRouteProvider() {
		this.runner.run(context -> {
			NettyReactiveWebServerFactory factory = mock(NettyReactiveWebServerFactory.class);
			context.getBean(WebServerFactoryCustomizer.class).customize(factory);
			verify(factory).addRouteProviders(any(LaneRoutes.class));
		});
	}

	@Test
	void offNoRouteProviderIsRegistered() {
		this.runner.withPropertyValues(LaneConfiguration.ENABLED + "=false")
			.run(context -> assertThat(context).doesNotHaveBean(WebServerFactoryCustomizer.class)
				.doesNotHaveBean(LaneFallback.class));
	}

	@Test
	void eachRequestGoesToTheFirstLaneInOrderThatTakesItAndTheRestToTheNextRoute() {
		List<String> served = new ArrayList<>();
		this.runner.withBean("registeredFirst", Lane.class, () -> new Named("second", 1, Set.of("/b", "/c"), served))
			.withBean("registeredSecond", Lane.class, () -> new Named("first", 0, Set.of("/b"), served))
			.run(context -> {
				HttpServerRoutes routes = new LaneRoutes(context.getBeanProvider(Lane.class))
					.apply(HttpServerRoutes.newRoutes());
				routes.route(request -> true, (request, response) -> record(served, "spring"));

				for (String uri : List.of("/b", "/c", "/a")) {
					Mono.from(routes.apply(request(uri), mock(HttpServerResponse.class))).block();
				}
			});
		assertThat(served).containsExactly("first", "second", "spring");
	}

	private static HttpServerRequest request(String uri) {
		HttpServerRequest request = mock(HttpServerRequest.class);
		given(request.uri()).willReturn(uri);
		given(request.paramsResolver(any())).willReturn(request);
		return request;
	}

	private static Mono<Void> record(List<String> served, String name) {
		served.add(name);
		return Mono.empty();
	}

	/** Takes the requests for {@code targets}. */
	record Named(String name, int order, Set<String> targets, List<String> served) implements Lane, Ordered {

		@Override
		public boolean takes(HttpServerRequest request) {
			return this.targets.contains(request.uri());
		}

		@Override
		public Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
			return record(this.served, this.name);
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

}
