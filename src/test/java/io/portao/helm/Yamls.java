package io.portao.helm;

import java.util.List;
import java.util.Map;

/** Navigation in parsed YAML (maps, lists, scalars) by path; a numeric segment indexes a list. */
final class Yamls {

	private Yamls() {
	}

	/** The value at {@code path} under {@code root}, or {@code null} when a segment is missing. */
	static Object at(Object root, String... path) {
		Object current = root;
		for (String segment : path) {
			if (current instanceof Map<?, ?> map) {
				current = map.get(segment);
			}
			else if (current instanceof List<?> list && segment.chars().allMatch(Character::isDigit)) {
				int index = Integer.parseInt(segment);
				current = (index < list.size()) ? list.get(index) : null;
			}
			else {
				return null;
			}
		}
		return current;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		return (value != null) ? (Map<String, Object>) value : Map.of();
	}

	@SuppressWarnings("unchecked")
	static List<Object> list(Object value) {
		return (value != null) ? (List<Object>) value : List.of();
	}

}
