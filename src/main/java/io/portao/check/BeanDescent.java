package io.portao.check;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.charset.Charset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.portao.check.PropertyPath.Element;

import org.springframework.beans.BeanUtils;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.Resource;
import org.springframework.util.MimeType;
import org.springframework.util.unit.DataSize;

/**
 * Follows the rest of a property name below a known Map-, List- or bean-typed property, the way Boot's binder
 * does: a map key (any number of elements when the map's values are plain values, as in
 * {@code logging.level.reactor.netty.http.client}), a list index, a JavaBean property (getter or setter), a
 * record component or a constructor parameter. The metadata lists {@code spring.cloud.gateway.server.webflux.routes}
 * as a {@code List<RouteDefinition>} but nothing below it, so {@code routes[0].predicates[0]} is only known from
 * here.
 */
final class BeanDescent {

	/** One bindable property of a bean type: its name as metadata writes it, and its type. */
	private record BeanProperty(String dashed, ResolvableType type) {
	}

	private final Map<Class<?>, Map<String, BeanProperty>> properties = new ConcurrentHashMap<>();

	/** Where {@code rest} leads below {@code path}, a property of type {@code type}. */
	PropertyMatch descend(ResolvableType type, List<Element> rest, String path) {
		Class<?> raw = type.resolve();
		if (rest.isEmpty()) {
			return PropertyMatch.known(type);
		}
		if (isOpen(raw)) {
			return PropertyMatch.known(ResolvableType.NONE);
		}
		if (Map.class.isAssignableFrom(raw)) {
			return intoMap(type.asMap().getGeneric(1), rest, path);
		}
		if (raw.isArray() || Collection.class.isAssignableFrom(raw)) {
			ResolvableType element = raw.isArray() ? type.getComponentType() : type.asCollection().getGeneric(0);
			if (!rest.get(0).indexed()) {
				return PropertyMatch.unknown(null);
			}
			return descend(element, rest.subList(1, rest.size()), PropertyPath.append(path, rest.get(0)));
		}
		return isPlainValue(raw) ? PropertyMatch.unknown(null) : intoBean(raw, rest, path);
	}

	private PropertyMatch intoMap(ResolvableType value, List<Element> rest, String path) {
		Class<?> raw = value.resolve();
		if (raw != null && isPlainValue(raw)) {
			return PropertyMatch.known(value);
		}
		return descend(value, rest.subList(1, rest.size()), PropertyPath.append(path, rest.get(0)));
	}

	private PropertyMatch intoBean(Class<?> bean, List<Element> rest, String path) {
		Element first = rest.get(0);
		Map<String, BeanProperty> known = this.properties.computeIfAbsent(bean, BeanDescent::bindable);
		BeanProperty property = first.indexed() ? null : known.get(first.uniform());
		if (property == null) {
			String closest = Suggestions.closest(first.original().toLowerCase(Locale.ROOT),
					known.values().stream().map(BeanProperty::dashed).toList());
			return PropertyMatch.unknown((closest != null) ? path + "." + closest : null);
		}
		return descend(property.type(), rest.subList(1, rest.size()), path + "." + property.dashed());
	}

	/** A type below which the binder takes anything: {@code Object} (as in {@code Map<String, Object>}). */
	private static boolean isOpen(Class<?> raw) {
		if (raw == null || raw == Object.class) {
			return true;
		}
		return raw.isInterface() && !Map.class.isAssignableFrom(raw) && !Collection.class.isAssignableFrom(raw)
				&& !isPlainValue(raw);
	}

	/** A type bound from one string: nothing can follow it in a property name. */
	static boolean isPlainValue(Class<?> raw) {
		if (raw.isArray() || Map.class.isAssignableFrom(raw) || Collection.class.isAssignableFrom(raw)) {
			return false;
		}
		return BeanUtils.isSimpleValueType(raw) || raw.getName().startsWith("java.") || raw == DataSize.class
				|| Resource.class.isAssignableFrom(raw) || MimeType.class.isAssignableFrom(raw)
				|| Charset.class.isAssignableFrom(raw);
	}

	private static Map<String, BeanProperty> bindable(Class<?> bean) {
		Map<String, BeanProperty> found = new LinkedHashMap<>();
		if (bean.isRecord()) {
			for (RecordComponent component : bean.getRecordComponents()) {
				add(found, component.getName(), ResolvableType.forMethodReturnType(component.getAccessor(), bean));
			}
			return found;
		}
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(bean)) {
			if (descriptor.getReadMethod() != null && !"class".equals(descriptor.getName())) {
				add(found, descriptor.getName(), ResolvableType.forMethodReturnType(descriptor.getReadMethod(), bean));
			}
			else if (descriptor.getWriteMethod() != null) {
				add(found, descriptor.getName(), ResolvableType.forMethodParameter(descriptor.getWriteMethod(), 0, bean));
			}
		}
		return found.isEmpty() ? constructorParameters(bean) : found;
	}

	/** Constructor binding of a class that is not a record (Boot's {@code @ConstructorBinding}). */
	private static Map<String, BeanProperty> constructorParameters(Class<?> bean) {
		Map<String, BeanProperty> found = new LinkedHashMap<>();
		Constructor<?>[] constructors = bean.getDeclaredConstructors();
		if (constructors.length != 1) {
			return found;
		}
		String[] names = new DefaultParameterNameDiscoverer().getParameterNames(constructors[0]);
		for (int i = 0; names != null && i < names.length; i++) {
			add(found, names[i], ResolvableType.forConstructorParameter(constructors[0], i));
		}
		return found;
	}

	private static void add(Map<String, BeanProperty> found, String javaName, ResolvableType type) {
		String dashed = javaName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
		found.put(dashed.replace("-", ""), new BeanProperty(dashed, type));
	}

}
