package io.portao.config;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.core.env.Environment;

/**
 * The one rule for Actuator write operations (an instance's drain, a reload): they act only when Actuator has a
 * port of its own ({@code management.server.port}, the default 9901 on loopback), so that nothing writable is ever
 * reachable from the public port. On a shared port each answers 403 with a line naming the property.
 */
public final class ManagementPortWrites {

	private final boolean allowed;

	private ManagementPortWrites(boolean allowed) {
		this.allowed = allowed;
	}

	/** The rule for the application whose environment this is. */
	public static ManagementPortWrites of(Environment environment) {
		return new ManagementPortWrites(ManagementPortType.get(environment) == ManagementPortType.DIFFERENT);
	}

	/** Whether write operations act. */
	public boolean allowed() {
		return this.allowed;
	}

	/**
	 * {@code null} when writes act, else the 403 answer; {@code what} says what is done, "reloads are asked" or
	 * "instance states are set".
	 */
	@Nullable
	public WebEndpointResponse<Object> refusal(String what) {
		if (this.allowed) {
			return null;
		}
		return new WebEndpointResponse<>(Map.of("error", what + " on a separate management port only "
				+ "(management.server.port), never on the public one"), 403);
	}

}
