package io.portao.staticfiles;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class StaticResourceWebHandlerTests {

	@ParameterizedTest
	@ValueSource(strings = { ".env", "css/.hidden.css", ".git/config", "%2eenv", "css%2f.env", "a/%2E%2Fb",
			"x\\.env", "a%00.png", "a%0a.css", "a%7f", "%zz" })
	void dotfilesControlCharactersAndUndecodablePathsAreRejected(String path) {
		assertThat(StaticResourceWebHandler.isHiddenOrControl(path)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "app.css", "css/app.css", "a.b.c.js", "with%20space.txt", "caf%C3%A9.png", "a..b.css",
			"%252e%252e/x" })
	void ordinaryNamesAreAccepted(String path) {
		assertThat(StaticResourceWebHandler.isHiddenOrControl(path)).isFalse();
	}

}
