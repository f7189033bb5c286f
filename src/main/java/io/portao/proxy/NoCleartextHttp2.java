package io.portao.proxy;

import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;

/**
 * HTTP/2 only where nginx's reference setup could offer it: over TLS, negotiated with ALPN. With
 * {@code server.http2.enabled} and no TLS, Boot configures cleartext HTTP/2 ({@code h2c}: the {@code Upgrade:
 * h2c} handshake and prior knowledge), which puts Netty's upgrade handlers in front of every HTTP/1.1 request of
 * every connection; nginx's {@code listen 8888;} speaks HTTP/1.1 only. Plain ports therefore stay HTTP/1.1, which
 * took ~10 % of the CPU per proxied request in the benchmark (docs/performance.md); TLS ports keep h2 and HTTP/1.1.
 */
public class NoCleartextHttp2 implements NettyServerCustomizer {

	@Override
	public HttpServer apply(HttpServer server) {
		if (server.configuration().sslProvider() != null) {
			return server;
		}
		return server.protocol(HttpProtocol.HTTP11);
	}

}
