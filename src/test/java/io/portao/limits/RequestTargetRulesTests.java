package io.portao.limits;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RequestTargetRulesTests {

	@ParameterizedTest
	@ValueSource(strings = { "/..", "/.", "/a/..", "/a/../b", "/a/./b", "/%2e%2e/b", "/%2E%2e/b", "/.%2e/b", "/%2e/b",
			"/a/..%2fb", "/a/..%2Fb", "/a/%2e%2e%2fb", "/a/..\\b", "/a/..%5cb", "/a/..;x/b", "/a/.;x/b",
			"/a/%00", "/a%0d%0aSet-Cookie:x", "/a%7f", "/a%1F", "/a%", "/a%4", "/a%zz", "/a%g0", "/a/..?q=1",
			"/static//../secret" })
	void refuses(String target) {
		assertThat(RequestTargetRules.refused(target)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/", "/a", "/a/b.css", "/a/...", "/a/..b", "/a/b..", "/.env", "/a/.well-known/x", "/a//b",
			"/a%2Fb", "/a%252e%252e/b", "/%7Euser", "/caf%C3%A9", "/a;jsessionid=1/b", "/p?x=/../y",
			"/p?q=%00", "/a%20b", "/a%2e" + "x" })
	void accepts(String target) {
		assertThat(RequestTargetRules.refused(target)).isFalse();
	}

}
