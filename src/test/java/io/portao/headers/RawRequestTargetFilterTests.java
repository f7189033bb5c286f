package io.portao.headers;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RawRequestTargetFilterTests {

	@Test
	void sameTargetComparesPathAndOptionalQuery() {
		assertThat(RawRequestTargetFilter.sameTarget("/a/b", "/a/b", null)).isTrue();
		assertThat(RawRequestTargetFilter.sameTarget("/a/b?x=1", "/a/b", "x=1")).isTrue();
		assertThat(RawRequestTargetFilter.sameTarget("/p?", "/p", "")).isTrue();
		assertThat(RawRequestTargetFilter.sameTarget("/p?", "/p", null)).isFalse();
		assertThat(RawRequestTargetFilter.sameTarget("/a//b", "/a/b", null)).isFalse();
		assertThat(RawRequestTargetFilter.sameTarget("/p?a&&b", "/p", "a&b")).isFalse();
		assertThat(RawRequestTargetFilter.sameTarget("/p#x=1", "/p", "x=1")).isFalse();
		assertThat(RawRequestTargetFilter.sameTarget("/a/b", null, null)).isFalse();
	}

}
