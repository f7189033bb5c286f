package io.portao.lane;

import reactor.netty.http.server.HttpServerRoutes;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyRouteProvider;

/**
 * One Reactor Netty route per {@link Lane} bean, in their order. Boot's {@code NettyWebServer} applies the route
 * providers and then adds {@code routes.route(ALWAYS, handler)} with Spring's handler (Spring Boot 4.0.7,
 * {@code NettyWebServer.applyRouteProviders}), so a request no lane takes goes there unchanged. Reactor Netty asks
 * the routes in order ({@code DefaultHttpServerRoutes.apply}) and calls the handler of the first that matches.
 *
 * <p>The lanes are looked up when the server starts (Boot calls the providers from {@code NettyWebServer.start},
 * after every singleton was created), not when the server factory is customized.
 */
final class LaneRoutes implements NettyRouteProvider {

	private final ObjectProvider<Lane> lanes;

	LaneRoutes(ObjectProvider<Lane> lanes) {
		this.lanes = lanes;
	}

	@Override
	public HttpServerRoutes apply(HttpServerRoutes routes) {
		this.lanes.orderedStream().forEach(lane -> routes.route(lane::takes, lane::serve));
		return routes;
	}

}
