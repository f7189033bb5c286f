package io.portao.tls;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.time.Duration;

import io.portao.PortaoApplication;
import io.portao.support.FakeBackend;
import io.portao.support.FreePorts;
import io.portao.support.RawHttpClient;
import io.portao.support.TestCertificates;
import io.portao.support.TestCertificates.Pem;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The redirect port binds where the web server binds and goes away with the application. */
class HttpRedirectLifecycleIntegrationTests {

	@Test
	void bindsOnServerAddressAndIsReleasedWhenTheApplicationStops() throws IOException {
		Pem pem = TestCertificates.generateInTempDirectory("portao-lifecycle");
		int redirectPort = FreePorts.next();
		try (FakeBackend backend = FakeBackend.start("A")) {
			ConfigurableApplicationContext context = start(pem, backend, redirectPort);
			HttpRedirectServer redirect = context.getBean(HttpRedirectServer.class);
			int httpsPort = ((WebServerApplicationContext) context).getWebServer().getPort();

			assertThat(redirect.address().getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
			assertThat(get(redirectPort).header("Location")).isEqualTo("https://a.example:" + httpsPort + "/x");

			context.close();

			assertThat(redirect.isRunning()).isFalse();
			assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> get(redirectPort));
		}
	}

	// Command-line arguments, not builder defaults: those rank below application.yml (server.port 8888).
	private static ConfigurableApplicationContext start(Pem pem, FakeBackend backend, int redirectPort) {
		return new SpringApplicationBuilder(PortaoApplication.class, OwnEventLoops.class).run("--server.port=0",
				"--server.address=127.0.0.1", "--management.server.port=0",
				"--spring.cloud.gateway.server.webflux.routes[0].id=bapis",
				"--spring.cloud.gateway.server.webflux.routes[0].uri=lb://bapis",
				"--spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/**",
				"--spring.cloud.discovery.client.simple.instances.bapis[0].uri=" + backend.uri(),
				"--server.ssl.bundle=web",
				"--spring.ssl.bundle.pem.web.keystore.certificate=file:" + pem.certificateFile(),
				"--spring.ssl.bundle.pem.web.keystore.private-key=file:" + pem.privateKeyFile(),
				"--portao.tls.redirect-port=" + redirectPort);
	}

	/**
	 * Closing a context whose ReactorResourceFactory uses Reactor Netty's global resources disposes them, and with
	 * them every server still running on them in this JVM: the cached contexts and fake backends of other test
	 * classes. This context gets event loops of its own.
	 */
	@Configuration(proxyBeanMethods = false)
	static class OwnEventLoops {

		@Bean
		ReactorResourceFactory reactorResourceFactory() {
			ReactorResourceFactory factory = new ReactorResourceFactory();
			factory.setUseGlobalResources(false);
			return factory;
		}

	}

	private static RawHttpClient.RawResponse get(int port) throws IOException {
		return RawHttpClient.send(port, "GET /x HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n",
				Duration.ofSeconds(5));
	}

}
