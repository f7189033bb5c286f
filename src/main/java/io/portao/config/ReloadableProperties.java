package io.portao.config;

/**
 * Properties that a concern applies at run time when a configuration reload changes them
 * ({@code reload.ConfigReloader} names every other changed property as needing a restart). A bean of this type
 * says which ones; the concern itself listens for Spring Cloud's {@code EnvironmentChangeEvent} and applies them.
 */
public interface ReloadableProperties {

	/** Whether a change to the property {@code key} (a flattened name such as {@code a.b[0].c}) is applied. */
	boolean applies(String key);

}
