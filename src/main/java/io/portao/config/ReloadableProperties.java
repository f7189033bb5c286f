package io.portao.config;

import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;

/**
 * Properties that a concern applies at run time when a configuration reload changes them
 * ({@code reload.ConfigReloader} names every other changed property as needing a restart). A bean of this type
 * says which ones, and applies them when Spring Cloud's refresh reports a change to one of them
 * ({@link EnvironmentChangeEvent}, published after the environment holds the new values).
 */
public interface ReloadableProperties extends ApplicationListener<EnvironmentChangeEvent> {

	/** Whether a change to the property {@code key} (a flattened name such as {@code a.b[0].c}) is applied. */
	boolean applies(String key);

	/**
	 * Binds the reloaded values from the environment and puts them in force from the next request on; a value that
	 * cannot be bound is logged and the running one stays.
	 */
	void apply();

	@Override
	default void onApplicationEvent(EnvironmentChangeEvent event) {
		if (event.getKeys().stream().anyMatch(this::applies)) {
			apply();
		}
	}

}
