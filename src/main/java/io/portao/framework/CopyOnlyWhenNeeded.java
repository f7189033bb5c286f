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
 * (docs/performance.md). When a filter does apply, the original bean does the work, so headers sent upstream are
 * exactly those of Spring Cloud Gateway. Each replacement extends the original class and delegates to the bean
 * (its order and bound properties included), so injection by type still finds it.
 */
public class CopyOnlyWhenNeeded implements BeanPostProcessor {

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
