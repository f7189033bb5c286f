package io.portao.lane;

import org.reactivestreams.Publisher;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;

/**
 * The full Spring path for a request a lane took but cannot answer after all: the application's
 * {@link HttpHandler} (the bean Boot's web server serves, with its decorators: the access log wraps it) behind a
 * {@link ReactorHttpHandlerAdapter}, as Boot's {@code NettyWebServer} serves every request no lane takes. The
 * adapter keeps no state besides the handler, so the answer is the one the request would have had without lanes.
 */
public final class LaneFallback {

	private final ObjectProvider<HttpHandler> handler;

	@Nullable
	private volatile ReactorHttpHandlerAdapter adapter;

	LaneFallback(ObjectProvider<HttpHandler> handler) {
		this.handler = handler;
	}

	/** Serves {@code request} through Spring's HTTP adapter and the whole web stack. */
	public Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
		ReactorHttpHandlerAdapter current = this.adapter;
		if (current == null) {
			// Looked up on first use: the handler bean is built with every web filter and mapping, after the lanes.
			current = new ReactorHttpHandlerAdapter(this.handler.getObject());
			this.adapter = current;
		}
		return current.apply(request, response);
	}

}
