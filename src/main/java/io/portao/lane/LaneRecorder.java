package io.portao.lane;

import java.util.HashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.context.ApplicationContext;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerHttpObservationDocumentation;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.http.server.reactive.observation.ServerRequestObservationConvention;
import org.springframework.web.server.adapter.HttpWebHandlerAdapter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

import io.portao.framework.LaneRequestTimer;
import io.portao.framework.SpringExchange;

/**
 * What Spring WebFlux's {@link HttpWebHandlerAdapter} does around a request, for the requests a lane answers: the
 * {@code http.server.requests} observation, with the registry and convention that adapter uses and the lane's
 * path pattern as the {@code uri} tag, so both paths record one series; and a {@code 500} for an error nobody
 * handled. With Boot's default observation set-up the timer is recorded directly ({@link LaneRequestTimer});
 * with a no-op registry nothing is recorded, as in the adapter.
 */
public final class LaneRecorder {

	private static final Log logger = LogFactory.getLog(LaneRecorder.class);

	private static final ServerRequestObservationConvention DEFAULT_CONVENTION = new DefaultServerRequestObservationConvention();

	private static final String CONTENT_LENGTH = "Content-Length";

	private final String pattern;

	private final ObservationRegistry observations;

	private final ServerRequestObservationConvention convention;

	@Nullable
	private final LaneRequestTimer timer;

	private LaneRecorder(String pattern, ObservationRegistry observations, ServerRequestObservationConvention convention,
			@Nullable LaneRequestTimer timer) {
		this.pattern = pattern;
		this.observations = observations;
		this.convention = convention;
		this.timer = timer;
	}

	/**
	 * The recorder for requests matched by {@code pattern}, with the registry and convention that
	 * {@link WebHttpHandlerBuilder#applicationContext} gives Spring's adapter: the unique
	 * {@link ObservationRegistry} bean (else none), the {@link ServerRequestObservationConvention} bean (else
	 * Spring's default).
	 */
	public static LaneRecorder create(ApplicationContext context, String pattern) {
		ObservationRegistry registry = context.getBeanProvider(ObservationRegistry.class)
			.getIfUnique(() -> ObservationRegistry.NOOP);
		ServerRequestObservationConvention convention = context.getBeanProvider(ServerRequestObservationConvention.class)
			.getIfAvailable(() -> DEFAULT_CONVENTION);
		LaneRequestTimer timer = registry.isNoop() ? null
				: LaneRequestTimer.create(context, context.getEnvironment(), convention);
		logger.debug("Lane on " + pattern + ": http.server.requests "
				+ (registry.isNoop() ? "not recorded (no-op registry)"
						: (timer != null) ? "recorded on its timer directly" : "observed per request"));
		return new LaneRecorder(pattern, registry, convention, timer);
	}

	/**
	 * {@code call}, recorded as {@link HttpWebHandlerAdapter} records a request: once, when it completes, fails or
	 * is cancelled (the client went away), with its error.
	 */
	public Mono<Void> handled(Mono<Void> call, HttpServerRequest request, HttpServerResponse response) {
		return handled(handled -> call, request, response);
	}

	/**
	 * As {@link #handled(Mono, HttpServerRequest, HttpServerResponse)}, for a call that answers some errors itself
	 * (a proxied request's 502): it hands them to the {@link Handled} it is given, and the request is recorded
	 * with that error, as Spring's adapter records an error its exception handlers answered.
	 */
	public Mono<Void> handled(Function<Handled, Mono<Void>> call, HttpServerRequest request,
			HttpServerResponse response) {
		Handled handled = new Handled();
		if (this.observations.isNoop()) {
			return call.apply(handled).onErrorResume(ex -> failed(ex, request, response));
		}
		Recording recording = (this.timer != null) ? timed(this.timer, request, response) : observed(request, response);
		AtomicBoolean ended = new AtomicBoolean();
		Mono<Void> answered = call.apply(handled)
			.onErrorResume(ex -> failed(ex, request, response).doOnSuccess(ignored -> end(ended, recording, ex, false)))
			.doOnSuccess(ignored -> end(ended, recording, handled.error, false))
			.doOnError(ex -> end(ended, recording, ex, false))
			.doOnCancel(() -> end(ended, recording, null, true));
		return recording.around(answered);
	}

	private static void end(AtomicBoolean ended, Recording recording, @Nullable Throwable error, boolean aborted) {
		if (ended.compareAndSet(false, true)) {
			recording.end(error, aborted);
		}
	}

	/** With the registry, convention and context {@link HttpWebHandlerAdapter} would use. */
	private Recording observed(HttpServerRequest request, HttpServerResponse response) {
		ServerRequestObservationContext context = context(request, response, new HashMap<>(4));
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
	private Recording timed(LaneRequestTimer timer, HttpServerRequest request, HttpServerResponse response) {
		long start = timer.start();
		return (error, aborted) -> timer.record(start, response.status().code(), error, aborted,
				() -> context(request, response, new HashMap<>(0)));
	}

	/**
	 * Whether this recorder records without an observation per request (Boot's default set-up, or a no-op
	 * registry): the only case a lane below Reactor Netty's HTTP layer takes ({@link #start}, {@link #record}).
	 */
	public boolean recordsDirectly() {
		return this.observations.isNoop() || this.timer != null;
	}

	/** When a request {@link #recordsDirectly recorded directly} began. */
	public long start() {
		return (this.timer != null) ? this.timer.start() : 0;
	}

	/**
	 * Records a request begun at {@code start} that ended with {@code status}, or with the client gone
	 * ({@code aborted}), on the timer {@link #handled} records it on; {@code exchange} gives Spring's view of it
	 * when the tags of that outcome are not known yet. Only when {@link #recordsDirectly}.
	 */
	public void record(long start, int status, boolean aborted, Supplier<SpringExchange> exchange) {
		if (this.timer != null) {
			this.timer.record(start, status, null, aborted, () -> context(exchange.get(), new HashMap<>(0)));
		}
	}

	private ServerRequestObservationContext context(HttpServerRequest request, HttpServerResponse response,
			HashMap<String, Object> attributes) {
		return context(SpringExchange.of(request, response), attributes);
	}

	private ServerRequestObservationContext context(SpringExchange spring, HashMap<String, Object> attributes) {
		ServerRequestObservationContext context = new ServerRequestObservationContext(spring.request(),
				spring.response(), attributes);
		context.setPathPattern(this.pattern);
		return context;
	}

	/** The error a call answered itself, if any. */
	public static final class Handled implements Consumer<Throwable> {

		@Nullable
		private Throwable error;

		@Override
		public void accept(Throwable error) {
			this.error = error;
		}

	}

	/** How one request is recorded: begun when created, ended once. */
	private interface Recording {

		void end(@Nullable Throwable error, boolean aborted);

		default Mono<Void> around(Mono<Void> call) {
			return call;
		}

	}

	/**
	 * The response failed: a {@code 500} with no body if nothing was sent yet, as {@link HttpWebHandlerAdapter}
	 * answers an unhandled error (and observes it with the error); otherwise the error goes on and Reactor Netty
	 * cuts the connection, the only signal left.
	 */
	private static Mono<Void> failed(Throwable ex, HttpServerRequest request, HttpServerResponse response) {
		if (response.hasSentHeaders()) {
			return Mono.error(ex);
		}
		logger.error("500 Server Error for " + request.method() + " " + request.uri(), ex);
		response.status(HttpResponseStatus.INTERNAL_SERVER_ERROR);
		response.responseHeaders().clear().set(CONTENT_LENGTH, "0");
		return Mono.empty();
	}

}
