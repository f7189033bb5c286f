package io.portao.framework;

import java.util.List;
import java.util.function.BiConsumer;

import org.springframework.http.HttpHeaders;

/**
 * Headers over a {@code LinkedCaseInsensitiveMap} (what {@link HttpHeaders#copyOf} creates), whose names are
 * unique ignoring case already, so {@link #forEach} walks that map itself. {@link HttpHeaders#forEach} first
 * copies every name into another case-insensitive map (spring-web 7.0); Spring Cloud Gateway's
 * {@code NettyRoutingFilter} calls it on every proxied request to copy these headers into Netty's (2.8 % of the
 * event loops' samples on small bodies, docs/performance.md). Made by {@code headers.RealIpHeadersFilter}, which
 * copies the request's headers anyway.
 */
public final class UniqueNameHeaders extends HttpHeaders {

	private static final long serialVersionUID = 1L;

	public UniqueNameHeaders(HttpHeaders headers) {
		super(headers);
	}

	@Override
	public void forEach(BiConsumer<? super String, ? super List<String>> action) {
		asMultiValueMap().forEach(action);
	}

}
