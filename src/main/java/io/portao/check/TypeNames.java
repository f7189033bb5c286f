package io.portao.check;

import java.util.ArrayList;
import java.util.List;

import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

/**
 * Turns a type as written in {@code spring-configuration-metadata.json} ({@code java.util.Map<java.lang.String,
 * java.util.List<...InstanceProperties>>}, {@code java.lang.String[]}, {@code ...ServerProperties$Netty}) into a
 * {@link ResolvableType}. A class that cannot be loaded gives {@link ResolvableType#NONE}: the check then accepts
 * anything below that property rather than report a fault the binder would not find.
 */
final class TypeNames {

	private TypeNames() {
	}

	static ResolvableType parse(String text, ClassLoader classLoader) {
		String type = text.trim();
		if (type.endsWith("[]")) {
			ResolvableType component = parse(type.substring(0, type.length() - 2), classLoader);
			return (component == ResolvableType.NONE) ? component : ResolvableType.forArrayComponent(component);
		}
		int open = type.indexOf('<');
		Class<?> raw = load((open < 0) ? type : type.substring(0, open), classLoader);
		if (raw == null) {
			return ResolvableType.NONE;
		}
		if (open < 0 || !type.endsWith(">")) {
			return ResolvableType.forClass(raw);
		}
		List<ResolvableType> generics = new ArrayList<>();
		for (String argument : splitTopLevel(type.substring(open + 1, type.length() - 1))) {
			generics.add(parse(argument, classLoader));
		}
		return withGenerics(raw, generics);
	}

	private static ResolvableType withGenerics(Class<?> raw, List<ResolvableType> generics) {
		if (generics.contains(ResolvableType.NONE)) {
			return ResolvableType.forClass(raw);
		}
		try {
			return ResolvableType.forClassWithGenerics(raw, generics.toArray(ResolvableType[]::new));
		}
		catch (IllegalArgumentException wrongCount) {
			return ResolvableType.forClass(raw);
		}
	}

	private static List<String> splitTopLevel(String arguments) {
		List<String> parts = new ArrayList<>();
		int depth = 0;
		int start = 0;
		for (int i = 0; i < arguments.length(); i++) {
			char c = arguments.charAt(i);
			depth += (c == '<') ? 1 : (c == '>') ? -1 : 0;
			if (c == ',' && depth == 0) {
				parts.add(arguments.substring(start, i));
				start = i + 1;
			}
		}
		parts.add(arguments.substring(start));
		return parts;
	}

	private static Class<?> load(String name, ClassLoader classLoader) {
		try {
			return ClassUtils.forName(name, classLoader);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return null;
		}
	}

}
