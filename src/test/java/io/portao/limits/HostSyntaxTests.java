package io.portao.limits;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class HostSyntaxTests {

	@ParameterizedTest
	@ValueSource(strings = { "h", "bapih.bis.com.br", "bapih.bis.com.br:8888", "A.EXAMPLE", "a.", ".a", "1.2.3.4",
			"1.2.3.4:5", "h:080", "h:000080", "h:", "h:65535", "a_b", "a~b", "a,b", "a;b", "a!$&'()*+=b", "a%20b", "xn--caf-dma",
			"[::1]", "[::1]:8080", "[2001:db8::1]", "[::ffff:1.2.3.4]", "[v1.x]", "[V7.a:b]" })
	void accepts(String value) {
		assertThat(HostSyntax.validHeader(value)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", ":80", "a b", "a\tb", "h, h", "a/b", "a\\b", "a..b", "..", ".", "a@b", "u@h:80", "a?b",
			"a#b", "a\"b", "a<b>", "a%zz", "a%2", "caf\u00c3\u00a9", "a\u007fb", "h:port", "h:port:extra", "h:80:81",
			"h:-1", "h:+80", "h:65536", "h:99999", "h:99999999999", "[::1", "::1]", "::1", "[::1]x", "[::1]:x", "[zz]",
			"[]", "[::1%eth0]", "[::1%25eth0]", "[1:2:3:4:5:6:7:8:9]", "[v1]", "[v.x]", "[vz.x]", "[1.2.3.4]" })
	void refuses(String value) {
		assertThat(HostSyntax.validHeader(value)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://h/", "http://a-b.c:80/", "http://[::1]/" })
	void acceptsInATargetOnlyNginxsNameCharacters(String target) {
		int start = target.indexOf("//") + 2;
		assertThat(HostSyntax.validTargetAuthority(target, start, target.indexOf('/', start))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://a_b/", "http://a%20b/", "http://a~b/", "http://a,b/", "http://a!b/" })
	void refusesInATargetWhatOnlyRfc3986Allows(String target) {
		int start = target.indexOf("//") + 2;
		assertThat(HostSyntax.validHeader(target.substring(start, target.length() - 1))).isTrue();
		assertThat(HostSyntax.validTargetAuthority(target, start, target.indexOf('/', start))).isFalse();
	}

}
