package io.portao.reload;

import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * {@code POST /actuator/reload} on the management port: check the configuration files and apply them, as
 * {@code nginx -t && nginx -s reload}; answers when done, 200 with the result (applied, unchanged, or refused with
 * the check's lines). {@code GET /actuator/reload}: the last reload's result (404 before the first). The write
 * answers 403 when Actuator shares the public port.
 */
@Endpoint(id = "reload")
public class ReloadEndpoint {

	private final ConfigReloader reloader;

	private final boolean writable;

	ReloadEndpoint(ConfigReloader reloader, boolean writable) {
		this.reloader = reloader;
		this.writable = writable;
	}

	@ReadOperation
	public ReloadResult last() {
		return this.reloader.last();
	}

	@WriteOperation
	public WebEndpointResponse<Object> reload() {
		if (!this.writable) {
			return new WebEndpointResponse<>(Map.of("error", "reloads are asked on a separate management port only "
					+ "(management.server.port), never on the public one"), 403);
		}
		return new WebEndpointResponse<>(this.reloader.reload("endpoint"));
	}

}
