package io.portao.staticfiles;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerHttpObservationDocumentation;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.http.server.reactive.observation.ServerRequestObservationConvention;
import org.springframework.web.server.adapter.HttpWebHandlerAdapter;

import io.portao.headers.TrustedProxies;

/**
 * The static benchmark's case, a plain {@code GET} of an existing file under the static directory, answered before
 * Spring WebFlux builds an exchange: {@link PlainFileResponder} writes the response as it does behind the
 * {@code DispatcherHandler}, and the request is observed ({@code http.server.requests}) with the registry and
 * convention of the {@link HttpWebHandlerAdapter} it bypasses, so its metrics are the same series.
 *
 * <p>Why not only the handler mapping: after {@link PlainFileResponder} removed the file handler's own work, most
 * of a static request's CPU was the web stack around it (the exchange and its attribute map, the web filter chain,
 * the {@code DispatcherHandler} asking each handler mapping in turn, the result handling); nginx goes from the
 * parsed request to {@code sendfile} directly (docs/performance.md, fifth round).
 *
 * <p>What the bypassed layers do is either ruled out by the lane's conditions or done here:
 * <ul>
 * <li>the request target check ({@code RequestTargetFilter}): the raw target must be the static directory
 * followed by unreserved characters and single slashes, no dot segment, no percent escape, no query, which that
 * check never refuses;</li>
 * <li>the client address ({@code ClientAddress}, read by the access log): the lane is not taken for a peer in
 * {@code portao.trusted-proxies}, whose real client comes from {@code X-Forwarded-For};</li>
 * <li>{@code StaticFilesHandlerMapping}'s choice: the static pattern is a directory ({@code /static/**}), which no
 * route or endpoint can claim first (its order, 0, is after the actuator and before every route), and the lane
 * is only built for the application's own handler, never the management port's;</li>
 * <li>the caching wrappers ({@code expires max} on a query, the version check): both act only on a query;</li>
 * <li>the access log: it decorates this handler, so the line is written as for any request.</li>
 * </ul>
 * Everything else goes to the web stack unchanged.
 */
final class StaticFastLane implements HttpHandler {

	private static final Log logger = LogFactory.getLog(StaticFastLane.class);

	private static final ServerRequestObservationConvention DEFAULT_CONVENTION = new DefaultServerRequestObservationConvention();

	private final HttpWebHandlerAdapter delegate;

	/** The static directory as in the URL, with both slashes: {@code /static/}. */
	private final String directory;

	/** The pattern, as the {@code uri} tag of {@code http.server.requests}: {@code /static/**}. */
	private final String pattern;

	private final PlainFileResponder files;

	private final TrustedProxies trustedProxies;

	private final ObservationRegistry observations;

	private final ServerRequestObservationConvention convention;

	@Nullable
	private final LaneRequestTimer timer;

	StaticFastLane(HttpWebHandlerAdapter delegate, String pattern, PlainFileResponder files,
			TrustedProxies trustedProxies, @Nullable LaneRequestTimer timer) {
		this.delegate = delegate;
		this.directory = pattern.substring(0, pattern.length() - 2);
		this.pattern = pattern;
		this.files = files;
		this.trustedProxies = trustedProxies;
		this.observations = delegate.getObservationRegistry();
		this.convention = delegate.getObservationConvention();
		this.timer = timer;
	}

	/** Whether the lane can serve {@code pattern}: a whole directory, {@code /static/**}. */
	static boolean supports(String pattern) {
		return pattern.endsWith("/**") && pattern.length() > 3 && pattern.indexOf('*') == pattern.length() - 2
				&& pattern.indexOf('{') < 0;
	}

	@Override
	public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
		String within = plainWithin(request);
		Mono<Void> sent = (within != null) ? this.files.respond(within, request, response) : null;
		if (sent == null) {
			return this.delegate.handle(request, response);
		}
		return recorded(sent, request, response);
	}

	/** The path below the static directory, if the raw target is a plain one in it from an untrusted peer. */
	@Nullable
	private String plainWithin(ServerHttpRequest request) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
		if (!(nativeRequest instanceof HttpServerRequest netty)) {
			return null;
		}
		String target = netty.uri();
		if (!target.startsWith(this.directory) || target.indexOf('?') >= 0 || fromTrustedProxy(request)) {
			return null;
		}
		// PlainFileResponder.isPlain refuses the rest unless it is unreserved characters and single slashes.
		return target.substring(this.directory.length());
	}

	private boolean fromTrustedProxy(ServerHttpRequest request) {
		if (!this.trustedProxies.any()) {
			// The usual case: no proxy trusted, no copy of the peer's address bytes per request.
			return false;
		}
		InetSocketAddress remote = request.getRemoteAddress();
		return remote == null || remote.getAddress() == null
				|| this.trustedProxies.trusts(remote.getAddress().getAddress());
	}

	/**
	 * {@code sent}, recorded as {@link HttpWebHandlerAdapter} records a request: once, when it completes, fails or
	 * is cancelled (the client went away), with its error.
	 */
	private Mono<Void> recorded(Mono<Void> sent, ServerHttpRequest request, ServerHttpResponse response) {
		Recording recording = (this.timer != null) ? timed(this.timer, request, response) : observed(request, response);
		AtomicBoolean ended = new AtomicBoolean();
		Mono<Void> call = sent
			.onErrorResume(ex -> failed(ex, request, response).doOnSuccess(ignored -> end(ended, recording, ex, false)))
			.doOnSuccess(ignored -> end(ended, recording, null, false))
			.doOnError(ex -> end(ended, recording, ex, false))
			.doOnCancel(() -> end(ended, recording, null, true));
		return recording.around(call);
	}

	private static void end(AtomicBoolean ended, Recording recording, @Nullable Throwable error, boolean aborted) {
		if (ended.compareAndSet(false, true)) {
			recording.end(error, aborted);
		}
	}

	/** With the registry, convention and context {@link HttpWebHandlerAdapter} would use. */
	private Recording observed(ServerHttpRequest request, ServerHttpResponse response) {
		ServerRequestObservationContext context = new ServerRequestObservationContext(request, response,
				new HashMap<>(4));
		context.setPathPattern(this.pattern);
		Observation observation = ServerHttpObservationDocumentation.HTTP_REACTIVE_SERVER_REQUESTS
			.observation(this.convention, DEFAULT_CONVENTION, () -> context, this.observations)
			.start();
		return new Recording() {

			@Override
			public void end(@Nullable Throwable error, boolean aborted) {
				context.setError(error);
				context.setConnectionAborted(aborted);
				observation.stop();
			}

			@Override
			public Mono<Void> around(Mono<Void> call) {
				return call.contextWrite(reactor -> reactor.put(ObservationThreadLocalAccessor.KEY, observation));
			}

		};
	}

	/** When only Boot's meter handler would see the observation ({@link LaneRequestTimer}). */
	private static Recording timed(LaneRequestTimer timer, ServerHttpRequest request, ServerHttpResponse response) {
		long start = timer.start();
		return (error, aborted) -> timer.record(start, request, response, error, aborted);
	}

	/** How one request is recorded: begun when created, ended once. */
	private interface Recording {

		void end(@Nullable Throwable error, boolean aborted);

		default Mono<Void> around(Mono<Void> call) {
			return call;
		}

	}

	/**
	 * The file could not be sent (removed or made unreadable after its {@code stat}): a {@code 500} if nothing was
	 * sent yet, as {@link HttpWebHandlerAdapter} answers an unhandled error (and observes it with the error);
	 * otherwise the error goes on and Reactor Netty cuts the connection, the only signal left.
	 */
	private static Mono<Void> failed(Throwable ex, ServerHttpRequest request, ServerHttpResponse response) {
		if (!response.setStatusCode(HttpStatus.INTERNAL_SERVER_ERROR)) {
			return Mono.error(ex);
		}
		logger.error("500 Server Error for GET " + request.getPath() + ": the file could not be sent", ex);
		response.getHeaders().clear();
		response.getHeaders().setContentLength(0);
		return response.setComplete();
	}

}
