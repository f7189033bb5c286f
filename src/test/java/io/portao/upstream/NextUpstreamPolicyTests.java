package io.portao.upstream;

import java.io.IOException;
import java.net.ConnectException;

import io.netty.channel.ConnectTimeoutException;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;

class NextUpstreamPolicyTests {

	@Test
	void connectFailuresAreRetriedForEveryMethod() {
		for (HttpMethod method : HttpMethod.values()) {
			assertThat(NextUpstreamPolicy.mayRetry(new ConnectException("refused"), method, false)).isTrue();
			assertThat(NextUpstreamPolicy.mayRetry(new ConnectTimeoutException("timeout"), method, false)).isTrue();
		}
	}

	@Test
	void brokenConnectionsAreRetriedForIdempotentMethodsWhoseBodyWasNotSent() {
		IOException reset = new IOException("Connection reset by peer");
		assertThat(NextUpstreamPolicy.mayRetry(reset, HttpMethod.GET, false)).isTrue();
		assertThat(NextUpstreamPolicy.mayRetry(reset, HttpMethod.PUT, false)).isTrue();
		assertThat(NextUpstreamPolicy.mayRetry(reset, HttpMethod.PUT, true)).isFalse();
		assertThat(NextUpstreamPolicy.mayRetry(reset, HttpMethod.POST, false)).isFalse();
		assertThat(NextUpstreamPolicy.mayRetry(reset, HttpMethod.PATCH, false)).isFalse();
	}

	@Test
	void responseTimeoutsAreNeverRetried() {
		ResponseStatusException timeout = new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT, "timeout");
		assertThat(NextUpstreamPolicy.mayRetry(timeout, HttpMethod.GET, false)).isFalse();
		assertThat(NextUpstreamPolicy.isResponseTimeout(timeout)).isTrue();
	}

	@Test
	void causesAreDescribedLikeNginxErrorLog() {
		assertThat(NextUpstreamPolicy.describe(new ConnectException("x"))).isEqualTo("connect refused");
		assertThat(NextUpstreamPolicy.describe(new ConnectTimeoutException("x"))).isEqualTo("connect timeout");
		assertThat(NextUpstreamPolicy.describe(new IOException("Connection reset by peer"))).isEqualTo("connection reset");
	}

}
