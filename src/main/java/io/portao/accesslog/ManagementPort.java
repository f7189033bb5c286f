package io.portao.accesslog;

import java.net.InetSocketAddress;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** The port the management server actually listens on (also when configured as 0), once it has started. */
final class ManagementPort implements ApplicationListener<WebServerInitializedEvent> {

	private static final String NAMESPACE = "management";

	private volatile int port = -1;

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if (NAMESPACE.equals(event.getApplicationContext().getServerNamespace())) {
			this.port = event.getWebServer().getPort();
		}
	}

	boolean isManagement(ServerHttpRequest request) {
		InetSocketAddress local = request.getLocalAddress();
		return local != null && local.getPort() == this.port;
	}

}
