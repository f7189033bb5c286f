package io.portao.staticfiles;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class VersionCheckedCachingHandlerTests {

	@ParameterizedTest
	@CsvSource(nullValues = "null", value = { "v=8c2f1, 8c2f1", "a=1&v=8c2f1&b=2, 8c2f1", "v=1&v=2, 1", "v=, ''",
			"v, ''", "a=1&v, ''", "vv=1, null", "av=1, null", "a=v, null", "a=1, null", "'', null", "null, null",
			"v=a%3Db, a%3Db", "&&v=abcde, abcde" })
	void theFirstVersionParameterOfTheRawQuery(String query, String value) {
		assertThat(VersionCheckedCachingHandler.queryParameter(query, "v")).isEqualTo(value);
	}

	@ParameterizedTest
	@ValueSource(strings = { "8c2f1", "8C2F1", "0123456789abcdefABCDEF0123456789" })
	void hexVersionsAreLookedUp(String version) {
		assertThat(VersionCheckedCachingHandler.isHexVersion(version)).isTrue();
		assertThat(VersionCheckedCachingHandler.isHexVersion("ab".repeat(64))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "8c2f", "8c2fg", "v1.2.3", "0123456789abcdef0123456789abcdef0", "８c2f1", "8c2f1 " })
	void otherValuesAreNeverCurrent(String version) {
		assertThat(VersionCheckedCachingHandler.isHexVersion(version)).isFalse();
	}

}
