package io.portao.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.context.SmartLifecycle;

/**
 * Two tiny app instances for the {@code demo} profile, so that {@code curl localhost:8888/} shows round robin at
 * once without a real app. Started before the gateway's web server and stopped after it.
 */
public class DemoInstances implements SmartLifecycle {

	private final List<Integer> ports;

	private final List<DisposableServer> servers = new ArrayList<>();

	public DemoInstances(List<Integer> ports) {
		this.ports = List.copyOf(ports);
	}

	@Override
	public synchronized void start() {
		for (int port : this.ports) {
			this.servers.add(HttpServer.create()
				.host("127.0.0.1")
				.port(port)
				.handle((request, response) -> response.header("Server", "demo-instance-" + port)
					.header("Content-Type", "text/plain; charset=utf-8")
					.sendString(Mono.just("Hello from demo instance 127.0.0.1:" + port + " (" + request.method() + " "
							+ request.uri() + ", Host " + request.requestHeaders().get("Host") + ", X-Real-IP "
							+ request.requestHeaders().get("X-Real-IP") + ")\n")))
				.bindNow(Duration.ofSeconds(10)));
		}
	}

	@Override
	public synchronized void stop() {
		this.servers.forEach(server -> server.disposeNow(Duration.ofSeconds(5)));
		this.servers.clear();
	}

	@Override
	public synchronized boolean isRunning() {
		return !this.servers.isEmpty();
	}

	/** Before Boot's web server (phase {@code Integer.MAX_VALUE - 1024}) starts, after it stops. */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 2048;
	}

}
