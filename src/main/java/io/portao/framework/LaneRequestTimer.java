package io.portao.framework;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.GlobalObservationConvention;
import io.micrometer.observation.ObservationFilter;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationPredicate;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationRegistryCustomizer;
import org.springframework.core.env.Environment;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.http.server.reactive.observation.ServerRequestObservationConvention;

/**
 * A lane's {@code http.server.requests}, recorded on the timer the observation would record on, without
 * an observation per request. Only used when Boot's default observation set-up is all there is, so that the
 * observation could have done nothing else: its meter handler ({@link DefaultMeterObservationHandler}) as the
 * only handler, no filter, predicate, global convention or registry customizer but Boot's (with no
 * {@code management.observations.key-values} or {@code .enable} set), and the long-task timer ignored
 * ({@code management.metrics.observations.ignored-meters}, Portão's default). Otherwise
 * {@link #create} gives {@code null} and {@code lane.LaneRecorder} observes each request as Spring WebFlux does.
 *
 * <p>Why: in a JFR profile of the static benchmark the per-request observation (its context, the convention's key
 * values turned into tags, and the timer looked up by its tags in the registry on every stop) was an eighth of
 * the event loops' time (docs/performance.md, fifth round). The tags here are computed by the same convention,
 * once per status, and the timer is kept.
 */
public final class LaneRequestTimer {

	/** Boot's filter and predicate for {@code management.observations.*} (spring-boot-micrometer-observation). */
	private static final String BOOT_FILTER = "org.springframework.boot.micrometer.observation.autoconfigure.PropertiesObservationFilterPredicate";

	private final MeterRegistry registry;

	private final ServerRequestObservationConvention convention;

	private final Clock clock;

	private final Map<Integer, Timer> byStatus = new ConcurrentHashMap<>();

	private LaneRequestTimer(MeterRegistry registry, ServerRequestObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
		this.clock = registry.config().clock();
	}

	/** The timer, or {@code null} when the observation set-up is not only Boot's default one. */
	@Nullable
	public static LaneRequestTimer create(ListableBeanFactory beans, Environment environment,
			ServerRequestObservationConvention convention) {
		if (!onlyBeansOf(beans, ObservationHandler.class, DefaultMeterObservationHandler.class.getName())
				|| !onlyBeansOf(beans, ObservationFilter.class, BOOT_FILTER)
				|| !onlyBeansOf(beans, ObservationPredicate.class, BOOT_FILTER)
				|| beans.getBeanNamesForType(GlobalObservationConvention.class).length > 0
				|| beans.getBeanNamesForType(ObservationRegistryCustomizer.class).length > 0
				|| convention.getClass() != DefaultServerRequestObservationConvention.class
				|| !bootDefaults(environment)) {
			return null;
		}
		// The registry Boot's meter handler records on: the only one, or the primary composite.
		MeterRegistry registry = beans.getBeanProvider(MeterRegistry.class).getIfUnique();
		if (registry == null) {
			return null;
		}
		return new LaneRequestTimer(registry, convention);
	}

	private static boolean onlyBeansOf(ListableBeanFactory beans, Class<?> type, String className) {
		for (String name : beans.getBeanNamesForType(type, true, false)) {
			Class<?> actual = beans.getType(name);
			if (actual == null || !actual.getName().equals(className)) {
				return false;
			}
		}
		return true;
	}

	private static boolean bootDefaults(Environment environment) {
		Binder binder = Binder.get(environment);
		boolean keyValues = binder.bind("management.observations.key-values", Bindable.mapOf(String.class, String.class))
			.map(Map::isEmpty)
			.orElse(true);
		boolean enable = binder.bind("management.observations.enable", Bindable.mapOf(String.class, String.class))
			.map(Map::isEmpty)
			.orElse(true);
		boolean ignoredLongTask = binder
			.bind("management.metrics.observations.ignored-meters", Bindable.listOf(String.class))
			.map(list -> list.stream().anyMatch(v -> v.replace("_", "-").equalsIgnoreCase("long-task-timer")))
			.orElse(false);
		return keyValues && enable && ignoredLongTask;
	}

	public long start() {
		return this.clock.monotonicTime();
	}

	/**
	 * Records the request begun at {@code start} that ended with {@code status}, with its error and whether the
	 * client went away, as the observation would. {@code context} gives the observation context the convention
	 * reads the tags from; it is asked only for an outcome whose timer is not known yet.
	 */
	public void record(long start, int status, @Nullable Throwable error, boolean aborted,
			Supplier<ServerRequestObservationContext> context) {
		long duration = this.clock.monotonicTime() - start;
		boolean plain = error == null && !aborted;
		Timer timer = plain ? this.byStatus.get(status) : null;
		if (timer == null) {
			ServerRequestObservationContext observed = context.get();
			observed.setError(error);
			observed.setConnectionAborted(aborted);
			timer = timer(observed);
			if (plain) {
				this.byStatus.putIfAbsent(status, timer);
			}
		}
		timer.record(duration, TimeUnit.NANOSECONDS);
	}

	/** As {@link DefaultMeterObservationHandler#onStop} builds it: the convention's key values and {@code error}. */
	private Timer timer(ServerRequestObservationContext context) {
		List<Tag> tags = new ArrayList<>();
		for (KeyValue keyValue : this.convention.getLowCardinalityKeyValues(context)) {
			tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
		}
		Throwable error = context.getError();
		tags.add(Tag.of("error", (error != null) ? error.getClass().getSimpleName() : "none"));
		return Timer.builder(this.convention.getName()).tags(tags).register(this.registry);
	}

}
