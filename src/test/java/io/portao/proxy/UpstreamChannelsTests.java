package io.portao.proxy;

import org.junit.jupiter.api.Test;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.transport.ProxyProvider;

import static org.assertj.core.api.Assertions.assertThat;

/** Which instances the lane's own connections reach, and which keep Reactor Netty's client. */
class UpstreamChannelsTests {

	private final HttpClient plain = HttpClient.create();

	@Test
	void plainHttpToAnAddressLiteral() {
		assertThat(UpstreamChannels.reaches(this.plain, "127.0.0.1", false)).isTrue();
		assertThat(UpstreamChannels.reaches(this.plain, "::1", false)).isTrue();
		assertThat(UpstreamChannels.reaches(this.plain, "10.1.2.3", false)).isTrue();
	}

	@Test
	void notAHostNameNorTls() {
		assertThat(UpstreamChannels.reaches(this.plain, "localhost", false)).isFalse();
		assertThat(UpstreamChannels.reaches(this.plain, "app-0.app.default.svc", false)).isFalse();
		assertThat(UpstreamChannels.reaches(this.plain, "127.0.0.1", true)).isFalse();
	}

	@Test
	void notAClientWithAProxyAWiretapOrAnotherProtocol() {
		assertThat(UpstreamChannels.reaches(this.plain.proxy(proxy -> proxy.type(ProxyProvider.Proxy.HTTP)
			.host("127.0.0.1")
			.port(3128)), "127.0.0.1", false)).isFalse();
		assertThat(UpstreamChannels.reaches(this.plain.wiretap(true), "127.0.0.1", false)).isFalse();
		assertThat(UpstreamChannels.reaches(this.plain.protocol(HttpProtocol.H2C), "127.0.0.1", false)).isFalse();
		assertThat(UpstreamChannels.reaches(this.plain.protocol(HttpProtocol.HTTP11, HttpProtocol.H2C), "127.0.0.1",
				false)).isFalse();
	}

	@Test
	void http11BesideH2WhichIsOnlyNegotiatedOverTls() {
		assertThat(UpstreamChannels.reaches(this.plain.protocol(HttpProtocol.HTTP11, HttpProtocol.H2), "127.0.0.1",
				false)).isTrue();
	}

}
