package io.portao.framework;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

class UniqueNameHeadersTests {

	@Test
	void uniqueNamesWalkTheHeadersAsHttpHeadersDoes() {
		HttpHeaders source = new HttpHeaders();
		source.add("Accept", "text/html");
		source.add("accept", "application/json");
		source.add("X-Request-Id", "42");
		source.add("cookie", "a=1");
		source.add("Cookie", "b=2");
		HttpHeaders copy = HttpHeaders.copyOf(source);

		Map<String, List<String>> walked = new LinkedHashMap<>();
		new UniqueNameHeaders(copy).forEach((name, values) -> walked.put(name, List.copyOf(values)));
		Map<String, List<String>> expected = new LinkedHashMap<>();
		copy.forEach((name, values) -> expected.put(name, List.copyOf(values)));

		assertThat(walked).containsExactlyEntriesOf(expected)
			.containsEntry("Accept", List.of("text/html", "application/json"))
			.containsEntry("cookie", List.of("a=1", "b=2"))
			.hasSize(3);
	}

	@Test
	void uniqueNamesShareTheCopy() {
		HttpHeaders copy = HttpHeaders.copyOf(new HttpHeaders());
		HttpHeaders unique = new UniqueNameHeaders(copy);

		unique.set("X-Real-IP", "192.0.2.1");

		assertThat(copy.getFirst("x-real-ip")).isEqualTo("192.0.2.1");
	}

}
