package io.portao.upstream;

import java.io.IOException;
import java.net.ConnectException;
import java.util.EnumSet;
import java.util.Set;

import io.netty.channel.ConnectTimeoutException;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

import static io.portao.upstream.UpstreamCondition.ERROR;
import static io.portao.upstream.UpstreamCondition.HTTP_503;
import static io.portao.upstream.UpstreamCondition.NON_IDEMPOTENT;
import static io.portao.upstream.UpstreamCondition.OFF;
import static io.portao.upstream.UpstreamCondition.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

class NextUpstreamPolicyTests {

	static final Set<UpstreamCondition> DEFAULT = UpstreamPropertiesFixtures.defaults().nextUpstream();

	static final ResponseStatusException TIMED_OUT = new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT, "t");

	@Test
	void defaultIsErrorAndTimeoutLikeNginx() {
		assertThat(DEFAULT).containsExactlyInAnyOrder(ERROR, TIMEOUT);
	}

	/** What TimeoutEjectionRelease arms: only requests a timeout would pass on anyway. */
	@Test
	void onlyRequestsATimeoutPassesOnAreReleasedEarly() {
		assertThat(NextUpstreamPolicy.passesOnTimeouts(DEFAULT, HttpMethod.GET, false)).isTrue();
		assertThat(NextUpstreamPolicy.passesOnTimeouts(DEFAULT, HttpMethod.DELETE, false)).isTrue();
		assertThat(NextUpstreamPolicy.passesOnTimeouts(DEFAULT, HttpMethod.POST, false)).as("not idempotent").isFalse();
		assertThat(NextUpstreamPolicy.passesOnTimeouts(DEFAULT, HttpMethod.PUT, true)).as("a body").isFalse();
		assertThat(NextUpstreamPolicy.passesOnTimeouts(EnumSet.of(ERROR), HttpMethod.GET, false)).as("no timeout")
			.isFalse();
		assertThat(NextUpstreamPolicy.passesOnTimeouts(EnumSet.of(TIMEOUT, NON_IDEMPOTENT), HttpMethod.POST, false))
			.isTrue();
	}

	@Test
	void connectFailuresAreRetriedForEveryMethod() {
		for (HttpMethod method : HttpMethod.values()) {
			assertThat(NextUpstreamPolicy.mayRetry(DEFAULT, new ConnectException("refused"), method, false)).isTrue();
			assertThat(NextUpstreamPolicy.mayRetry(DEFAULT, new ConnectTimeoutException("t"), method, false)).isTrue();
		}
	}

	@Test
	void brokenConnectionsAreRetriedForIdempotentMethodsWhoseBodyWasNotSent() {
		IOException reset = new IOException("Connection reset by peer");
		assertThat(NextUpstreamPolicy.mayRetry(DEFAULT, reset, HttpMethod.GET, false)).isTrue();
		assertThat(NextUpstreamPolicy.mayRetry(DEFAULT, reset, HttpMethod.PUT, false)).isTrue();
		assertThat(NextUpstreamPolicy.mayRetry(DEFAULT, reset, HttpMethod.PUT, true)).isFalse();
		assertThat(NextUpstreamPolicy.mayRetry(DEFAULT, reset, HttpMethod.POST, false)).isFalse();
		assertThat(NextUpstreamPolicy.mayRetry(DEFAULT, reset, HttpMethod.PATCH, false)).isFalse();
	}

	@Test
	void nonIdempotentAllowsPostsThatReachedTheInstanceButNeverAStreamedBody() {
		Set<UpstreamCondition> conditions = EnumSet.of(ERROR, NON_IDEMPOTENT);
		IOException reset = new IOException("Connection reset by peer");
		assertThat(NextUpstreamPolicy.mayRetry(conditions, reset, HttpMethod.POST, false)).isTrue();
		assertThat(NextUpstreamPolicy.mayRetry(conditions, reset, HttpMethod.POST, true)).isFalse();
	}

	@Test
	void responseTimeoutsAreRetriedOnlyForIdempotentRequestsWithTimeout() {
		assertThat(NextUpstreamPolicy.isResponseTimeout(TIMED_OUT)).isTrue();
		assertThat(NextUpstreamPolicy.mayRetry(DEFAULT, TIMED_OUT, HttpMethod.GET, false)).isTrue();
		assertThat(NextUpstreamPolicy.mayRetry(DEFAULT, TIMED_OUT, HttpMethod.POST, false)).isFalse();
		assertThat(NextUpstreamPolicy.mayRetry(EnumSet.of(ERROR), TIMED_OUT, HttpMethod.GET, false)).isFalse();
	}

	@Test
	void statusesAreRetriedOnlyWhenConfigured() {
		assertThat(NextUpstreamPolicy.mayRetry(DEFAULT, 503, HttpMethod.GET, false)).isFalse();
		assertThat(NextUpstreamPolicy.mayRetry(EnumSet.of(HTTP_503), 503, HttpMethod.GET, false)).isTrue();
		assertThat(NextUpstreamPolicy.mayRetry(EnumSet.of(HTTP_503), 502, HttpMethod.GET, false)).isFalse();
		assertThat(NextUpstreamPolicy.mayRetry(EnumSet.of(HTTP_503), 503, HttpMethod.POST, false)).isFalse();
	}

	@Test
	void offRetriesNothing() {
		assertThat(NextUpstreamPolicy.mayRetry(EnumSet.of(OFF), new ConnectException("x"), HttpMethod.GET, false))
			.isFalse();
	}

	@Test
	void causesAreDescribedLikeNginxErrorLog() {
		assertThat(NextUpstreamPolicy.describe(new ConnectException("x"))).isEqualTo("connect refused");
		assertThat(NextUpstreamPolicy.describe(new ConnectTimeoutException("x"))).isEqualTo("connect timeout");
		assertThat(NextUpstreamPolicy.describe(new IOException("Connection reset by peer"))).isEqualTo("connection reset");
		assertThat(NextUpstreamPolicy.describe(new UpstreamStatusException(503))).isEqualTo("http 503");
		assertThat(NextUpstreamPolicy.describe(TIMED_OUT)).isEqualTo("response timeout");
	}

}
