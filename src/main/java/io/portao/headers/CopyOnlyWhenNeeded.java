package io.portao.headers;

import java.util.Locale;
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

	/** Whether {@code headers} has any of {@code names} (lower case), or a {@code Connection} header listing more. */
	static boolean hasHopByHop(HttpHeaders headers, Set<String> names) {
		if (headers.containsHeader(HttpHeaders.CONNECTION)) {
			return true;
		}
		for (String name : headers.headerNames()) {
			if (names.contains(name.toLowerCase(Locale.ROOT))) {
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
			return input.containsHeader("Forwarded") ? this.delegate.filter(input, exchange) : input;
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
			String contentType = input.getFirst(HttpHeaders.CONTENT_TYPE);
			boolean grpc = StringUtils.startsWithIgnoreCase(contentType, "application/grpc");
			return grpc ? this.delegate.filter(input, exchange) : input;
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
