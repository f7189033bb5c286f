package io.portao.check;

import org.springframework.core.ResolvableType;

/**
 * Whether a property name is one Spring or Portão binds, and to what type ({@link ResolvableType#NONE} when
 * anything is accepted there, e.g. below a {@code Map<String, Object>}); for an unknown name, the closest known
 * name, or {@code null}.
 *
 * @param known whether the name is bound by something
 * @param type the type its value is converted to
 * @param suggestion the closest known property name, for an unknown one
 */
record PropertyMatch(boolean known, ResolvableType type, String suggestion) {

	static PropertyMatch known(ResolvableType type) {
		return new PropertyMatch(true, type, null);
	}

	static PropertyMatch unknown(String suggestion) {
		return new PropertyMatch(false, ResolvableType.NONE, suggestion);
	}

}
