package io.portao.nginximport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code application.yml} being built: nested maps in insertion order, lists, and scalars; and its rendering as
 * block-style YAML. A map key starting with {@code #} is rendered as a comment line (where a value came from).
 *
 * <p>Rendered by hand rather than with SnakeYAML so that each route can say which nginx {@code location} it came
 * from, which a YAML library's dumper cannot write.
 */
final class PortaoYaml {

	private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9/._=\\[\\](){}\\\\^$+|,:*?<>@%~ -]*");

	private static final Set<String> RESERVED = Set.of("true", "false", "yes", "no", "on", "off", "null", "y", "n",
			"~");

	/** Top-level keys in the order a reader expects them; others follow in insertion order. */
	private static final List<String> TOP = List.of("server", "spring", "management", "portao");

	private final Map<String, Object> root = new LinkedHashMap<>();

	/** Sets the value at {@code path}, creating the maps on the way. */
	void put(Object value, String... path) {
		map(path.length - 1, path).put(path[path.length - 1], value);
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> map(int depth, String... path) {
		Map<String, Object> node = this.root;
		for (int i = 0; i < depth; i++) {
			node = (Map<String, Object>) node.computeIfAbsent(path[i], key -> new LinkedHashMap<String, Object>());
		}
		return node;
	}

	String render() {
		Map<String, Object> ordered = new LinkedHashMap<>();
		TOP.stream().filter(this.root::containsKey).forEach(key -> ordered.put(key, this.root.get(key)));
		this.root.forEach(ordered::putIfAbsent);
		StringBuilder out = new StringBuilder();
		renderMap(out, ordered, 0, false);
		return out.toString();
	}

	private static void renderMap(StringBuilder out, Map<?, ?> map, int indent, boolean inListItem) {
		boolean first = true;
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			String key = entry.getKey().toString();
			String pad = (first && inListItem) ? "" : " ".repeat(indent);
			if (key.startsWith("#")) {
				out.append(pad).append("# ").append(entry.getValue()).append('\n');
				first = first && !inListItem;
				continue;
			}
			first = false;
			out.append(pad).append(scalar(key)).append(':');
			renderValue(out, entry.getValue(), indent);
		}
	}

	private static void renderValue(StringBuilder out, Object value, int indent) {
		if (value instanceof Map<?, ?> nested) {
			out.append('\n');
			renderMap(out, nested, indent + 2, false);
		}
		else if (value instanceof List<?> list) {
			out.append('\n');
			for (Object item : list) {
				out.append(" ".repeat(indent + 2)).append("- ");
				if (item instanceof Map<?, ?> itemMap) {
					renderMap(out, itemMap, indent + 4, true);
				}
				else {
					out.append(scalar(item)).append('\n');
				}
			}
		}
		else {
			out.append(' ').append(scalar(value)).append('\n');
		}
	}

	/** {@code value} plain when YAML reads it back as the same string, single-quoted otherwise. */
	static String scalar(Object value) {
		if (value instanceof Number || value instanceof Boolean) {
			return value.toString();
		}
		String text = value.toString();
		boolean plain = !text.isEmpty() && PLAIN.matcher(text).matches() && !RESERVED.contains(text.toLowerCase())
				&& "-?:,[]{}#&*!|>'\"%@`~ ".indexOf(text.charAt(0)) < 0 && !text.endsWith(" ") && !text.endsWith(":")
				&& !text.contains(": ") && !text.contains(" #") && !text.matches("[-+.0-9eE_]+");
		return plain ? text : "'" + text.replace("'", "''") + "'";
	}

}
