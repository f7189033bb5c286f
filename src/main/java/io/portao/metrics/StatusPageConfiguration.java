package io.portao.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The status page, {@code GET /status} on the management port: one HTML file with a little JavaScript that polls
 * {@code /actuator/upstreams} every second; no build step.
 *
 * <p>Loaded into the management child context only, through
 * {@code META-INF/spring/…ManagementContextConfiguration.imports}. It is deliberately neither a
 * {@code @Configuration} nor a {@code @ManagementContextConfiguration} (both are component-scanned from
 * {@code io.portao}, which would put {@code /status} on the public port and shadow the app's own); with the
 * management port equal to the public one there is no page at all.
 */
@ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
public class StatusPageConfiguration {

	/** The page's path on the management port, below {@code management.server.base-path}. */
	public static final String PATH = "/status";

	@Bean
	RouterFunction<ServerResponse> statusPage(WebEndpointProperties endpoints) throws IOException {
		String html = page(endpoints.getBasePath());
		return RouterFunctions.route()
			.GET(PATH, request -> ServerResponse.ok()
				.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
				.header("Cache-Control", "no-store")
				.bodyValue(html))
			.build();
	}

	/** The page with the endpoint's path relative to the page's own, so that a base path needs no rewriting. */
	static String page(String endpointsBasePath) throws IOException {
		String relative = endpointsBasePath.isEmpty() ? "upstreams"
				: endpointsBasePath.substring(1) + "/upstreams";
		try (InputStream in = new ClassPathResource("io/portao/metrics/status.html").getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("__UPSTREAMS_URL__", relative);
		}
	}

}
