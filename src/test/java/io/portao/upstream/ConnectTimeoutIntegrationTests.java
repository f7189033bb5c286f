package io.portao.upstream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.portao.PortaoApplication;
import io.portao.support.ContractProperties;
import io.portao.support.FakeBackend;
import io.portao.support.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance that never completes the TCP handshake (a listening socket whose accept queue is full: Linux then
 * drops further SYNs, as a blackholed host would) costs one connect timeout, then the request, even a POST,
 * goes to the next instance: nothing reached the first one.
 */
@SpringBootTest(classes = PortaoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.port=0", "management.server.port=0",
				"spring.cloud.gateway.server.webflux.httpclient.connect-timeout=300" })
class ConnectTimeoutIntegrationTests {

	static final ServerSocket blackhole;

	static final List<Socket> queueFillers = new ArrayList<>();

	static final FakeBackend live = FakeBackend.start("live");

	static {
		try {
			blackhole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
			fillAcceptQueue();
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not open a listening socket", ex);
		}
	}

	/** Connects until a handshake times out: from then on the kernel drops SYNs to this port. */
	private static void fillAcceptQueue() throws IOException {
		for (int i = 0; i < 16; i++) {
			Socket filler = new Socket();
			try {
				filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), blackhole.getLocalPort()), 200);
				queueFillers.add(filler);
			}
			catch (java.net.SocketTimeoutException full) {
				filler.close();
				return;
			}
		}
		throw new IllegalStateException("the accept queue never filled up");
	}

	@DynamicPropertySource
	static void contract(DynamicPropertyRegistry registry) {
		ContractProperties.registerUris(registry,
				List.of(() -> "http://127.0.0.1:" + blackhole.getLocalPort(), live::uri));
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() throws IOException {
		for (Socket filler : queueFillers) {
			filler.close();
		}
		blackhole.close();
		live.close();
	}

	@Test
	void connectTimeoutGoesToTheNextInstanceForEveryMethod() {
		GatewayClient client = new GatewayClient(this.port);
		for (int i = 0; i < 4; i++) {
			long start = System.nanoTime();
			assertThat(client.post("/order" + i, "once").statusCode()).isEqualTo(200);
			assertThat(client.get("/page" + i).statusCode()).isEqualTo(200);
			assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3000);
		}
		assertThat(live.received()).hasSize(8);
	}

}
