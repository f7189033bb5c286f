package io.portao.framework;

import java.util.Set;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cloud.gateway.filter.headers.GRPCRequestHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveXForwardedHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ServerWebExchange;

/**
 * Spring Cloud Gateway's request-header filters, made to return their input unchanged when they have nothing to
 * remove or add. Each of them copies every header into a new map on every proxied request, even when it changes
 * nothing (5.0.4: hop-by-hop removal, {@code Forwarded} and {@code X-Forwarded-*} removal, gRPC's {@code te});
 * those copies were 8.6 % of the event loops' samples and the largest allocation of a proxied request
 * (docs/performance.md). When a filter does apply, the original class does the work, so headers sent upstream are
 * exactly those of Spring Cloud Gateway. Each replacement extends the original class and takes the bean's place
 * (with its bound properties and order), so injection by type still finds it.
 */
public class CopyOnlyWhenNeeded implements BeanPostProcessor {

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> type = bean.getClass();
		if (type == RemoveHopByHopHeadersFilter.class) {
			return new HopByHop((RemoveHopByHopHeadersFilter) bean);
		}
		if (type == RemoveForwardedHeadersFilter.class) {
			return new Forwarded();
		}
		if (type == RemoveXForwardedHeadersFilter.class) {
			return new XForwarded();
		}
		if (type == GRPCRequestHeadersFilter.class) {
			return new Grpc();
		}
		return bean;
	}

	/*
	 * The checks ask the map by lower-case name, or walk its own key set: HttpHeaders.headerNames(), headerSet() and
	 * forEach() first copy every name into a new case-insensitive map (spring-web 7.0), which cost more than the
	 * copies these checks avoid (JFR, docs/performance.md, fifth round). A lower-case key is looked up without
	 * allocating both in Netty's headers (case-insensitive hashing) and in a LinkedCaseInsensitiveMap (String's
	 * toLowerCase returns the same string when nothing changes).
	 */

	/** Whether {@code headers} has any of {@code names}, or a {@code Connection} header listing more. */
	static boolean hasHopByHop(HttpHeaders headers, Set<String> names) {
		if (headers.containsHeader("connection")) {
			return true;
		}
		for (String name : names) {
			if (headers.containsHeader(name)) {
				return true;
			}
		}
		return false;
	}

	static boolean hasForwarded(HttpHeaders headers) {
		return headers.containsHeader("forwarded");
	}

	static boolean hasXForwarded(HttpHeaders headers) {
		for (String name : headers.asMultiValueMap().keySet()) {
			if (name.regionMatches(true, 0, "x-forwarded-", 0, 12)) {
				return true;
			}
		}
		return false;
	}

	/** gRPC's content types, {@code application/grpc} and {@code application/grpc+proto} etc. */
	static boolean isGrpc(HttpHeaders headers) {
		String contentType = headers.getFirst("content-type");
		return contentType != null && StringUtils.startsWithIgnoreCase(contentType, "application/grpc");
	}

	/**
	 * RFC 9110 §7.6.1: connection-specific fields are not forwarded. The bean's bound headers and order are copied
	 * into this one, which is the bean from then on (a refresh rebinds this one's setters).
	 */
	static final class HopByHop extends RemoveHopByHopHeadersFilter {

		HopByHop(RemoveHopByHopHeadersFilter bound) {
			setHeaders(bound.getHeaders());
			setOrder(bound.getOrder());
		}

		@Override
		public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
			return hasHopByHop(input, getHeaders()) ? super.filter(input, exchange) : input;
		}

	}

	/*
	 * The three below have no state (5.0.4: no field, a fixed order), and the post-processor replaces only beans of
	 * exactly their parent's class: calling the parent is calling the bean.
	 */

	/** Client-sent {@code Forwarded} is dropped while no trusted proxy is configured (CVE-2025-41235). */
	static final class Forwarded extends RemoveForwardedHeadersFilter {

		@Override
		public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
			return hasForwarded(input) ? super.filter(input, exchange) : input;
		}

	}

	/** Client-sent {@code X-Forwarded-*} is dropped while no trusted proxy is configured (CVE-2025-41235). */
	static final class XForwarded extends RemoveXForwardedHeadersFilter {

		@Override
		public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
			return hasXForwarded(input) ? super.filter(input, exchange) : input;
		}

	}

	/** gRPC over HTTP/2 needs {@code te: trailers} upstream; nothing to add for any other content type. */
	static final class Grpc extends GRPCRequestHeadersFilter {

		@Override
		public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
			return isGrpc(input) ? super.filter(input, exchange) : input;
		}

	}

}
