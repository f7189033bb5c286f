package io.portao.check;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;

/**
 * A property name split into its elements as Boot's binder sees them: {@code uniform} is the relaxed form the
 * binder compares ({@code maxFails}, {@code max-fails} and {@code MAX_FAILS} are one name), {@code original} is
 * what the user wrote, for messages.
 */
final class PropertyPath {

	/**
	 * One element of a name.
	 *
	 * @param uniform lower case without dashes
	 * @param original as written
	 * @param indexed written in brackets: a list index or a map key such as {@code [/static/**]}
	 */
	record Element(String uniform, String original, boolean indexed) {
	}

	private PropertyPath() {
	}

	static List<Element> elements(String name) {
		ConfigurationPropertyName adapted = ConfigurationPropertyName.adapt(name, '.');
		List<Element> elements = new ArrayList<>(adapted.getNumberOfElements());
		for (int i = 0; i < adapted.getNumberOfElements(); i++) {
			elements.add(new Element(adapted.getElement(i, Form.UNIFORM), adapted.getElement(i, Form.ORIGINAL),
					adapted.chop(i + 1).isLastElementIndexed()));
		}
		return elements;
	}

	/** The first {@code count} elements in uniform form, dot-separated: the key of the metadata lookups. */
	static String uniform(List<Element> elements, int count) {
		StringBuilder key = new StringBuilder();
		for (int i = 0; i < count; i++) {
			key.append((i > 0) ? "." : "").append(elements.get(i).uniform());
		}
		return key.toString();
	}

	/** The first {@code count} elements as the user wrote them: {@code routes[0].predicates}. */
	static String original(List<Element> elements, int count) {
		StringBuilder name = new StringBuilder();
		for (int i = 0; i < count; i++) {
			append(name, elements.get(i));
		}
		return name.toString();
	}

	static String append(String prefix, Element element) {
		return append(new StringBuilder(prefix), element).toString();
	}

	private static StringBuilder append(StringBuilder name, Element element) {
		if (element.indexed()) {
			return name.append('[').append(element.original()).append(']');
		}
		return name.append(name.isEmpty() ? "" : ".").append(element.original());
	}

	static boolean anyIndexed(List<Element> elements, int count) {
		for (int i = 0; i < count; i++) {
			if (elements.get(i).indexed()) {
				return true;
			}
		}
		return false;
	}

}
