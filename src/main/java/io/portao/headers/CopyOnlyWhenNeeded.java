package io.portao.headers;

import java.util.List;
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
 * (docs/performance.md). When a filter does apply, the original bean does the work, so headers sent upstream are
 * exactly those of Spring Cloud Gateway. Each replacement extends the original class and delegates to the bean
 * (its order and bound properties included), so injection by type still finds it.
 */
class CopyOnlyWhenNeeded implements BeanPostProcessor {

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> type = bean.getClass();
		if (type == RemoveHopByHopHeadersFilter.class) {
			return new HopByHop((RemoveHopByHopHeadersFilter) bean);
		}
		if (type == RemoveForwardedHeadersFilter.class) {
			return new Forwarded((RemoveForwardedHeadersFilter) bean);
		}
		if (type == RemoveXForwardedHeadersFilter.class) {
			return new XForwarded((RemoveXForwardedHeadersFilter) bean);
		}
		if (type == GRPCRequestHeadersFilter.class) {
			return new Grpc((GRPCRequestHeadersFilter) bean);
		}
		return bean;
	}

	/*
	 * The checks walk the names comparing case-insensitively rather than asking the map: every look-up in
	 * HttpHeaders lower-cases its key into a new string, the allocation these checks exist to avoid.
	 */

	/** Whether {@code headers} has any of {@code names} (lower case), or a {@code Connection} header listing more. */
	static boolean hasHopByHop(HttpHeaders headers, Set<String> names) {
		for (String name : headers.headerNames()) {
			if (name.equalsIgnoreCase(HttpHeaders.CONNECTION) || containsIgnoreCase(names, name)) {
				return true;
			}
		}
		return false;
	}

	private static boolean containsIgnoreCase(Set<String> names, String name) {
		for (String candidate : names) {
			if (candidate.equalsIgnoreCase(name)) {
				return true;
			}
		}
		return false;
	}

	static boolean hasForwarded(HttpHeaders headers) {
		for (String name : headers.headerNames()) {
			if (name.equalsIgnoreCase("Forwarded")) {
				return true;
			}
		}
		return false;
	}

	static boolean hasXForwarded(HttpHeaders headers) {
		for (String name : headers.headerNames()) {
			if (name.regionMatches(true, 0, "x-forwarded-", 0, 12)) {
				return true;
			}
		}
		return false;
	}

	/** gRPC's content types, {@code application/grpc} and {@code application/grpc+proto} etc. */
	static boolean isGrpc(HttpHeaders headers) {
		for (var header : headers.headerSet()) {
			if (header.getKey().equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
				List<String> values = header.getValue();
				return !values.isEmpty() && StringUtils.startsWithIgnoreCase(values.get(0), "application/grpc");
			}
		}
		return false;
	}

	/** RFC 9110 §7.6.1: connection-specific fields are not forwarded. */
	static final class HopByHop extends RemoveHopByHopHeadersFilter {

		private final RemoveHopByHopHeadersFilter delegate;

		HopByHop(RemoveHopByHopHeadersFilter delegate) {
			this.delegate = delegate;
		}

		@Override
		public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
			return hasHopByHop(input, this.delegate.getHeaders()) ? this.delegate.filter(input, exchange) : input;
		}

		@Override
		public Set<String> getHeaders() {
			return this.delegate.getHeaders();
		}

		@Override
		public int getOrder() {
			return this.delegate.getOrder();
		}

	}

	/** Client-sent {@code Forwarded} is dropped while no trusted proxy is configured (CVE-2025-41235). */
	static final class Forwarded extends RemoveForwardedHeadersFilter {

		private final RemoveForwardedHeadersFilter delegate;

		Forwarded(RemoveForwardedHeadersFilter delegate) {
			this.delegate = delegate;
		}

		@Override
		public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
			return hasForwarded(input) ? this.delegate.filter(input, exchange) : input;
		}

		@Override
		public int getOrder() {
			return this.delegate.getOrder();
		}

	}

	/** Client-sent {@code X-Forwarded-*} is dropped while no trusted proxy is configured (CVE-2025-41235). */
	static final class XForwarded extends RemoveXForwardedHeadersFilter {

		private final RemoveXForwardedHeadersFilter delegate;

		XForwarded(RemoveXForwardedHeadersFilter delegate) {
			this.delegate = delegate;
		}

		@Override
		public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
			return hasXForwarded(input) ? this.delegate.filter(input, exchange) : input;
		}

		@Override
		public int getOrder() {
			return this.delegate.getOrder();
		}

	}

	/** gRPC over HTTP/2 needs {@code te: trailers} upstream; nothing to add for any other content type. */
	static final class Grpc extends GRPCRequestHeadersFilter {

		private final GRPCRequestHeadersFilter delegate;

		Grpc(GRPCRequestHeadersFilter delegate) {
			this.delegate = delegate;
		}

		@Override
		public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
			return isGrpc(input) ? this.delegate.filter(input, exchange) : input;
		}

		@Override
		public boolean supports(Type type) {
			return this.delegate.supports(type);
		}

		@Override
		public int getOrder() {
			return this.delegate.getOrder();
		}

	}

}
