package io.portao.upstream;

import java.util.Map;

import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@link UpstreamProperties} bound as start-up binds them, without an application: nginx's defaults, or a few set. */
public final class UpstreamPropertiesFixtures {

	private UpstreamPropertiesFixtures() {
	}

	/** nginx's defaults everywhere. */
	public static UpstreamProperties defaults() {
		return bind(Map.of());
	}

	/** {@code values} (relative names such as {@code max-fails}) over the defaults. */
	public static UpstreamProperties bind(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate(ConfigurationPropertyName.EMPTY,
				Bindable.of(UpstreamProperties.class), BindHandler.DEFAULT);
	}

}
