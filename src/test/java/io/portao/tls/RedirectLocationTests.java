package io.portao.tls;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RedirectLocationTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"example.com        | 443  | /                  | https://example.com/",
			"example.com:80     | 443  | /a?b=c             | https://example.com/a?b=c",
			"example.com:8080   | 8443 | /a%20b?q=%2F&r     | https://example.com:8443/a%20b?q=%2F&r",
			"127.0.0.1:80       | 8443 | /x                 | https://127.0.0.1:8443/x",
			"[::1]:8080         | 443  | /v6                | https://[::1]/v6",
			"[2001:db8::1]      | 9443 | /v6                | https://[2001:db8::1]:9443/v6",
			"example.com        | 443  | http://other/p?q=1 | https://example.com/p?q=1",
			"example.com        | 443  | http://other       | https://example.com/",
			"example.com        | 443  | *                  | https://example.com/" })
	void buildsHttpsLocation(String host, int httpsPort, String target, String expected) {
		assertThat(RedirectLocation.of(host, httpsPort, target)).isEqualTo(expected);
	}

	@ParameterizedTest
	@NullSource
	@ValueSource(strings = { "", " ", "evil.example/path", "user@evil.example", "a b", "example.com:80:80", "[::1" })
	void rejectsMissingOrMalformedHost(String host) {
		assertThat(RedirectLocation.of(host, 443, "/")).isNull();
	}

}
