package io.portao.tls;

import java.nio.file.Path;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.tcp.AbstractProtocolSslContextSpec;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

import io.portao.support.TestCertificates;
import io.portao.support.TestCertificates.Pem;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listener's TLS is BoringSSL (netty-tcnative, in the jar for Linux x86-64 and aarch64), not the JDK's engine:
 * the contexts are built as Boot's {@code SslServerCustomizer} builds them, from a PEM bundle's key managers, and
 * Netty's default provider is the one they get. docs/performance.md has what that buys (TLS p99).
 */
@EnabledOnOs(value = OS.LINUX, architectures = { "amd64", "aarch64" })
class TlsEngineTests {

	@Test
	void nettyLoadsBoringSsl() {
		assertThat(OpenSsl.isAvailable()).as("OpenSSL unavailable: %s", OpenSsl.unavailabilityCause()).isTrue();
		assertThat(OpenSsl.versionString()).contains("BoringSSL");
	}

	@Test
	void http11AndHttp2ListenersGetOpenSslEngines(@TempDir Path dir) throws Exception {
		Pem pem = TestCertificates.generate(dir, "server", "localhost");
		SslBundle bundle = SslBundle.of(new PemSslStoreBundle(
				PemSslStoreDetails.forCertificate("file:" + pem.certificateFile())
					.withPrivateKey("file:" + pem.privateKeyFile()),
				null));
		assertOpenSsl(Http11SslContextSpec.forServer(bundle.getManagers().getKeyManagerFactory()));
		assertOpenSsl(Http2SslContextSpec.forServer(bundle.getManagers().getKeyManagerFactory()));
	}

	private static void assertOpenSsl(AbstractProtocolSslContextSpec<?> spec) throws Exception {
		SslContext context = spec.sslContext();
		try {
			var engine = context.newEngine(ByteBufAllocator.DEFAULT);
			try {
				assertThat(engine).isInstanceOf(ReferenceCountedOpenSslEngine.class);
			}
			finally {
				ReferenceCountUtil.release(engine);
			}
		}
		finally {
			ReferenceCountUtil.release(context);
		}
	}

}
