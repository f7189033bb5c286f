package io.portao.upstream;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

class StreamingMediaTypesTests {

	final StreamingMediaTypes defaults = new StreamingMediaTypes(new GatewayProperties().getStreamingMediaTypes());

	@Test
	void theGatewaysDefaultStreamingTypesStream() {
		assertThat(this.defaults.includes("text/event-stream")).isTrue();
		assertThat(this.defaults.includes("Text/Event-Stream; charset=utf-8")).isTrue();
		assertThat(this.defaults.includes(" application/stream+json")).isTrue();
		assertThat(this.defaults.includes("application/grpc")).isTrue();
	}

	@Test
	void otherTypesDoNot() {
		assertThat(this.defaults.includes(null)).isFalse();
		assertThat(this.defaults.includes("text/plain")).isFalse();
		assertThat(this.defaults.includes("application/x-ndjson")).isFalse();
		assertThat(this.defaults.includes("text/event-streamx")).isFalse();
		assertThat(this.defaults.includes("text/event-stream;;;=")).isFalse();
	}

	@Test
	void aWildcardIsMatchedAsTheGatewayMatchesIt() {
		assertThat(this.defaults.includes("text/*")).isTrue();
		assertThat(new StreamingMediaTypes(List.of(MediaType.parseMediaType("application/*"))).includes("application/json"))
			.isTrue();
	}

}
