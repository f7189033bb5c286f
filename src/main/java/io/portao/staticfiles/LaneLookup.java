package io.portao.staticfiles;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;

import io.portao.lane.Lane;

/**
 * The lane of one type among the lane beans, looked up once, on an event loop, at a connection's initialization.
 * Without a lock: the first connections arrive together on several event loops, and a locking supplier (Spring's
 * {@code SingletonSupplier}, a {@code ReentrantLock}) parks all but one of them, blocking event loops; under
 * BlockHound that failed the channel's initialization and closed the connection before its first request. Loops
 * that race both look up the same singleton.
 */
final class LaneLookup<L extends Lane> {

	private final ObjectProvider<Lane> lanes;

	private final Class<L> type;

	/** {@code null} until looked up; then the lane, or empty when there is none of that type. */
	@SuppressWarnings("OptionalUsedAsFieldOrParameterType")
	private volatile @Nullable Optional<L> lane;

	LaneLookup(ObjectProvider<Lane> lanes, Class<L> type) {
		this.lanes = lanes;
		this.type = type;
	}

	@Nullable
	L get() {
		Optional<L> found = this.lane;
		if (found == null) {
			found = this.lanes.stream().filter(this.type::isInstance).map(this.type::cast).findFirst();
			this.lane = found;
		}
		return found.orElse(null);
	}

}
