package io.portao.reload;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import io.portao.config.ManagementPortWrites;

/**
 * {@code POST /actuator/reload} on the management port: check the configuration files and apply them, as
 * {@code nginx -t && nginx -s reload}; answers when done, 200 with the result (applied, unchanged, or refused with
 * the check's lines). {@code GET /actuator/reload}: the last reload's result (404 before the first). The write
 * answers 403 when Actuator shares the public port.
 */
@Endpoint(id = "reload")
public record ReloadEndpoint(ConfigReloader reloader, ManagementPortWrites writes) {

	@ReadOperation
	public ReloadResult last() {
		return this.reloader.last();
	}

	@WriteOperation
	public WebEndpointResponse<Object> reload() {
		WebEndpointResponse<Object> refusal = this.writes.refusal("reloads are asked");
		if (refusal != null) {
			return refusal;
		}
		return new WebEndpointResponse<>(this.reloader.reload("endpoint"));
	}

}
