package io.portao.framework;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.AbstractServerHttpResponse;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.http.support.Netty4HeadersAdapter;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * Spring's request and response over a lane's Reactor Netty request and response, built by Spring's own
 * {@link ReactorHttpHandlerAdapter} (its request class is not public), so that an observation convention or
 * handler reads them exactly as for a request Spring handles. Views, for the observation context only: the
 * response reads its status from Reactor Netty's, and nothing is written through them.
 *
 * <p>Built per request only when something beyond Boot's default observation set-up may read the request, and
 * once per outcome otherwise ({@code lane.LaneRecorder}): it parses the URI, the cost lanes avoid.
 */
public record SpringExchange(ServerHttpRequest request, ServerHttpResponse response) {

	public static SpringExchange of(HttpServerRequest request, HttpServerResponse response) {
		SpringExchange[] built = new SpringExchange[1];
		// The adapter calls the handler at once, before anything subscribes; the Mono it returns is not needed.
		new ReactorHttpHandlerAdapter((springRequest, springResponse) -> {
			built[0] = new SpringExchange(springRequest, springResponse);
			return Mono.empty();
		}).apply(request, response);
		if (built[0] == null) {
			// The adapter refused the URI (it answers 400 itself): a lane must never take such a request.
			throw new IllegalStateException("Not a URI Spring accepts: " + request.uri());
		}
		return built[0];
	}

	/**
	 * Spring's request and response over a Netty request a lane below Reactor Netty's HTTP layer answered with
	 * {@code status}, for the observation context only, as {@link #of(HttpServerRequest, HttpServerResponse)}: the
	 * method, the headers (Spring's adapter over Netty's, as Reactor Netty's request gives them) and the status; the
	 * URI is the raw origin-form target, which such a lane takes plain only (no query, escape or dot segment).
	 */
	public static SpringExchange of(io.netty.handler.codec.http.HttpRequest request, int status) {
		HttpHeaders headers = new HttpHeaders(new Netty4HeadersAdapter(request.headers()));
		ServerHttpRequest springRequest = new AbstractServerHttpRequest(HttpMethod.valueOf(request.method().name()),
				URI.create(request.uri()), "", headers) {

			@Override
			protected MultiValueMap<String, HttpCookie> initCookies() {
				return new LinkedMultiValueMap<>();
			}

			@Override
			protected @Nullable SslInfo initSslInfo() {
				return null;
			}

			@Override
			public Flux<DataBuffer> getBody() {
				return Flux.empty();
			}

			@Override
			@SuppressWarnings("unchecked")
			public <T> T getNativeRequest() {
				return (T) request;
			}

		};
		ServerHttpResponse springResponse = new AbstractServerHttpResponse(DefaultDataBufferFactory.sharedInstance) {

			@Override
			public <T> T getNativeResponse() {
				// Written by a Netty handler directly: there is no response object below this view.
				throw new IllegalStateException("No native response: a view of a response written in the pipeline");
			}

			@Override
			protected Mono<Void> writeWithInternal(Publisher<? extends DataBuffer> body) {
				return Mono.error(new UnsupportedOperationException("a view, for the observation context only"));
			}

			@Override
			protected Mono<Void> writeAndFlushWithInternal(Publisher<? extends Publisher<? extends DataBuffer>> body) {
				return Mono.error(new UnsupportedOperationException("a view, for the observation context only"));
			}

			@Override
			protected void applyStatusCode() {
			}

			@Override
			protected void applyHeaders() {
			}

			@Override
			protected void applyCookies() {
			}

		};
		springResponse.setStatusCode(HttpStatusCode.valueOf(status));
		return new SpringExchange(springRequest, springResponse);
	}

}
