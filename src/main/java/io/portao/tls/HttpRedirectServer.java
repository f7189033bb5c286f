package io.portao.tls;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.IntSupplier;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;

/**
 * The plain-HTTP port of an HTTPS-only gateway: every request is answered with {@code 308 Permanent Redirect}
 * to HTTPS (RFC 9110 section 15.4.9: unlike 301, the method and body are kept), nothing is proxied. Boot runs one
 * web server, so this is a second, minimal Reactor Netty server that lives as long as that one.
 */
public class HttpRedirectServer implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(HttpRedirectServer.class);

	// Boot's reactive WebServerStartStopLifecycle runs at the graceful-shutdown phase minus 1024; one above it,
	// this server starts after the web server (whose port the Location names) and stops just before it.
	static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 1024 + 1;

	static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);

	static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private final InetAddress address;

	private final int port;

	private final IntSupplier httpsPort;

	private volatile DisposableServer server;

	/**
	 * @param address the address to bind ({@code server.address}), {@code null} for all
	 * @param port the plain-HTTP port
	 * @param httpsPort the port the web server actually listens on, read once it has started
	 */
	public HttpRedirectServer(InetAddress address, int port, IntSupplier httpsPort) {
		this.address = address;
		this.port = port;
		this.httpsPort = httpsPort;
	}

	@Override
	public void start() {
		int https = this.httpsPort.getAsInt();
		HttpServer http = HttpServer.create()
			.port(this.port)
			.handle((request, response) -> redirect(request, response, https));
		if (this.address != null) {
			http = http.host(this.address.getHostAddress());
		}
		this.server = http.bindNow(BIND_TIMEOUT);
		logger.info("Redirecting plain HTTP on port " + this.server.port() + " to HTTPS on port " + https);
	}

	private Mono<Void> redirect(HttpServerRequest request, HttpServerResponse response, int https) {
		String location = RedirectLocation.of(request.requestHeaders().get(HttpHeaderNames.HOST), https, request.uri());
		if (location == null) {
			return response.status(HttpResponseStatus.BAD_REQUEST).send();
		}
		return response.status(HttpResponseStatus.PERMANENT_REDIRECT).header(HttpHeaderNames.LOCATION, location).send();
	}

	@Override
	public void stop() {
		DisposableServer running = this.server;
		this.server = null;
		if (running == null) {
			return;
		}
		try {
			running.disposeNow(STOP_TIMEOUT);
		}
		catch (IllegalStateException ex) {
			logger.warn("The HTTP redirect port did not stop within " + STOP_TIMEOUT, ex);
		}
	}

	@Override
	public boolean isRunning() {
		return this.server != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/** The bound address, or {@code null} when not running. */
	public InetSocketAddress address() {
		DisposableServer running = this.server;
		return (running != null) ? (InetSocketAddress) running.address() : null;
	}

}
