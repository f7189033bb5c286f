package io.portao.framework;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.micrometer.observation.autoconfigure.ObservationRegistryCustomizer;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerHttpObservationDocumentation;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.http.server.reactive.observation.ServerRequestObservationConvention;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class LaneRequestTimerTests {

	static final ServerRequestObservationConvention CONVENTION = new DefaultServerRequestObservationConvention();

	@Test
	void bootsDefaultSetUpRecordsOnTheTimerTheConventionNames() {
		try (GenericApplicationContext context = bootDefaults(Map.of())) {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			LaneRequestTimer timer = LaneRequestTimer.create(context, context.getEnvironment(), CONVENTION);
			assertThat(timer).isNotNull();

			MockServerHttpRequest request = MockServerHttpRequest.get("/static/app.js").build();
			MockServerHttpResponse ok = new MockServerHttpResponse();
			ok.setStatusCode(HttpStatus.OK);
			AtomicInteger contexts = new AtomicInteger();
			timer.record(timer.start(), 200, null, false, () -> counted(contexts, request, ok));
			timer.record(timer.start(), 200, null, false, () -> counted(contexts, request, ok));
			MockServerHttpResponse failed = new MockServerHttpResponse();
			failed.setStatusCode(HttpStatus.INTERNAL_SERVER_ERROR);
			timer.record(timer.start(), 500, new IllegalStateException("gone"), false,
					() -> counted(contexts, request, failed));

			Timer okTimer = registry.find("http.server.requests")
				.tags("error", "none", "exception", "none", "method", "GET", "outcome", "SUCCESS", "status", "200", "uri",
						"/static/**")
				.timer();
			assertThat(okTimer).isNotNull();
			assertThat(okTimer.count()).isEqualTo(2);
			Timer errorTimer = registry.find("http.server.requests")
				.tags("error", "IllegalStateException", "exception", "IllegalStateException", "status", "500", "outcome",
						"SERVER_ERROR")
				.timer();
			assertThat(errorTimer).isNotNull();
			assertThat(errorTimer.count()).isEqualTo(1);
			assertThat(contexts).as("contexts built: once for the 200s, once for the error").hasValue(2);
		}
	}

	private static ServerRequestObservationContext counted(AtomicInteger contexts, MockServerHttpRequest request,
			MockServerHttpResponse response) {
		contexts.incrementAndGet();
		ServerRequestObservationContext context = new ServerRequestObservationContext(request, response, Map.of());
		context.setPathPattern("/static/**");
		return context;
	}

	@Test
	void tagsAreTheObservationsTags() {
		try (GenericApplicationContext context = bootDefaults(Map.of())) {
			SimpleMeterRegistry observed = new SimpleMeterRegistry();
			ObservationRegistry observations = ObservationRegistry.create();
			observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(observed));
			MockServerHttpRequest request = MockServerHttpRequest.get("/static/app.js").build();
			MockServerHttpResponse response = new MockServerHttpResponse();
			response.setStatusCode(HttpStatus.OK);
			ServerRequestObservationContext observationContext = new ServerRequestObservationContext(request, response,
					Map.of());
			observationContext.setPathPattern("/static/**");
			ServerHttpObservationDocumentation.HTTP_REACTIVE_SERVER_REQUESTS
				.observation(null, CONVENTION, () -> observationContext, observations)
				.start()
				.stop();

			LaneRequestTimer timer = LaneRequestTimer.create(context, context.getEnvironment(), CONVENTION);
			timer.record(timer.start(), 200, null, false, () -> counted(new AtomicInteger(), request, response));

			Timer expected = observed.get("http.server.requests").timer();
			Timer actual = context.getBean(MeterRegistry.class).get("http.server.requests").timer();
			assertThat(actual.getId().getTags()).isEqualTo(expected.getId().getTags());
		}
	}

	@Test
	void anythingBeyondBootsDefaultSetUpMeansAnObservationPerRequest() {
		try (GenericApplicationContext context = bootDefaults(Map.of("management.observations.key-values.region", "eu"))) {
			assertThat(LaneRequestTimer.create(context, context.getEnvironment(), CONVENTION)).isNull();
		}
		try (GenericApplicationContext context = bootDefaults(Map.of("management.observations.enable.http", "false"))) {
			assertThat(LaneRequestTimer.create(context, context.getEnvironment(), CONVENTION)).isNull();
		}
		try (GenericApplicationContext context = bootDefaults(Map.of("management.metrics.observations.ignored-meters", ""))) {
			assertThat(LaneRequestTimer.create(context, context.getEnvironment(), CONVENTION)).isNull();
		}
		try (GenericApplicationContext context = bootDefaults(Map.of())) {
			assertThat(LaneRequestTimer.create(context, context.getEnvironment(), new CustomConvention()))
				.isNull();
		}
		try (GenericApplicationContext context = unrefreshed(Map.of())) {
			context.registerBean("tracing", ObservationHandler.class, () -> new OtherHandler());
			context.refresh();
			assertThat(LaneRequestTimer.create(context, context.getEnvironment(), CONVENTION)).isNull();
		}
		try (GenericApplicationContext context = unrefreshed(Map.of())) {
			context.registerBean("customizer", ObservationRegistryCustomizer.class,
					() -> (ObservationRegistryCustomizer<ObservationRegistry>) registry -> {
					});
			context.refresh();
			assertThat(LaneRequestTimer.create(context, context.getEnvironment(), CONVENTION)).isNull();
		}
	}

	/** Boot's default beans for observations and metrics, as Portão's application.yml configures them. */
	private static GenericApplicationContext bootDefaults(Map<String, Object> properties) {
		GenericApplicationContext context = unrefreshed(properties);
		context.refresh();
		return context;
	}

	private static GenericApplicationContext unrefreshed(Map<String, Object> properties) {
		GenericApplicationContext context = new GenericApplicationContext();
		Map<String, Object> all = new HashMap<>(Map.of("management.metrics.observations.ignored-meters",
				"long-task-timer"));
		all.putAll(properties);
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", all));
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		context.registerBean(MeterRegistry.class, () -> registry);
		context.registerBean(DefaultMeterObservationHandler.class, () -> new DefaultMeterObservationHandler(registry));
		return context;
	}

	static final class CustomConvention extends DefaultServerRequestObservationConvention {

	}

	static final class OtherHandler implements ObservationHandler<Observation.Context> {

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
