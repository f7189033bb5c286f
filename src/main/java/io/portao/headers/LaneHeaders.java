package io.portao.headers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;

/**
 * The headers the proxy lane sends upstream and back, exactly as the gateway path's header filters leave them
 * (Spring Cloud Gateway's hop-by-hop, {@code Forwarded} and {@code X-Forwarded-*} removal as
 * {@code framework.CopyOnlyWhenNeeded} runs them, {@link RealIpHeadersFilter}, {@link PreserveHostFilter},
 * then {@code NettyRoutingFilter}'s copy), written in one pass from Netty's headers into Netty's. The lane parity
 * test compares both byte for byte.
 *
 * <p>What the gateway path's copies do to the order, done here on purpose: header fields of one name are grouped
 * at the place of the first, under its spelling (each copy goes through a case-insensitive map); {@code X-Real-IP}
 * and {@code X-Scheme} follow; {@code Host} comes last ({@code NettyRoutingFilter} removes and adds it).
 * {@link #accepts} leaves to the gateway the requests where those copies would do more (a client-sent
 * {@code X-Real-IP} or {@code X-Scheme} keeps its place there).
 */
public final class LaneHeaders {

	private static final String X_FORWARDED = "x-forwarded-";

	private static final String HOST = org.springframework.http.HttpHeaders.HOST;

	/** The hop-by-hop names, lower case, as the gateway's filter bean has them (configurable). */
	private final Set<String> hopByHop;

	public LaneHeaders(RemoveHopByHopHeadersFilter hopByHop) {
		this.hopByHop = Set.copyOf(hopByHop.getHeaders());
	}

	/** Whether the lane can forward a request with these headers exactly as the gateway path would. */
	public boolean accepts(HttpHeaders request) {
		return !request.contains(RealIpHeadersFilter.X_REAL_IP) && !request.contains(RealIpHeadersFilter.X_SCHEME)
				&& request.contains(HttpHeaderNames.HOST);
	}

	/** The client's headers for the instance, with {@code X-Real-IP: client} and {@code X-Scheme}. */
	public void request(HttpHeaders in, HttpHeaders out, String client, boolean https) {
		copy(in, out, true);
		out.add(RealIpHeadersFilter.X_REAL_IP, client);
		out.add(RealIpHeadersFilter.X_SCHEME, https ? "https" : "http");
		String host = in.get(HttpHeaderNames.HOST);
		out.remove(HttpHeaderNames.HOST);
		// NettyRoutingFilter adds it back under Spring's spelling.
		out.add(HOST, host);
	}

	/** The instance's response headers for the client. */
	public void response(HttpHeaders in, HttpHeaders out) {
		copy(in, out, false);
	}

	private void copy(HttpHeaders in, HttpHeaders out, boolean request) {
		List<String> removed = removed(in, request);
		String previous = null;
		boolean regroup = false;
		for (Map.Entry<String, String> header : in) {
			String name = header.getKey();
			if (removed != null && isRemoved(name, removed, request)) {
				continue;
			}
			if (!regroup && previous != null && !previous.equals(name) && out.contains(name)) {
				regroup = true;
			}
			out.add(name, header.getValue());
			previous = name;
		}
		if (regroup) {
			regroup(out);
		}
	}

	/**
	 * A name seen again further down, or spelt otherwise: grouped at its first place under its first spelling, as
	 * the gateway path's copies through case-insensitive maps leave it. Rare, so done over again.
	 */
	private static void regroup(HttpHeaders out) {
		Map<String, Map.Entry<String, List<String>>> grouped = new LinkedHashMap<>();
		for (Map.Entry<String, String> header : out) {
			grouped.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT),
					key -> Map.entry(header.getKey(), new ArrayList<>()))
				.getValue()
				.add(header.getValue());
		}
		out.clear();
		for (Map.Entry<String, List<String>> header : grouped.values()) {
			out.add(header.getKey(), header.getValue());
		}
	}

	/**
	 * The names to leave out, lower case, or {@code null} when nothing is to be left out (the usual case: one
	 * look-up per name, no allocation). {@code Connection} lists more hop-by-hop names (RFC 9110 §7.6.1).
	 */
	private List<String> removed(HttpHeaders in, boolean request) {
		List<String> removed = null;
		for (String name : this.hopByHop) {
			if (in.contains(name)) {
				removed = (removed != null) ? removed : new ArrayList<>(this.hopByHop);
			}
		}
		if (removed != null) {
			for (String connection : in.getAll(HttpHeaderNames.CONNECTION)) {
				for (String token : connection.split(",")) {
					removed.add(token.trim().toLowerCase(Locale.ROOT));
				}
			}
		}
		if (request && removed == null && (in.contains("forwarded") || hasXForwarded(in))) {
			removed = List.of();
		}
		return removed;
	}

	private static boolean hasXForwarded(HttpHeaders in) {
		for (Map.Entry<String, String> header : in) {
			if (header.getKey().regionMatches(true, 0, X_FORWARDED, 0, X_FORWARDED.length())) {
				return true;
			}
		}
		return false;
	}

	private static boolean isRemoved(String name, List<String> removed, boolean request) {
		if (request && (name.equalsIgnoreCase("forwarded")
				|| name.regionMatches(true, 0, X_FORWARDED, 0, X_FORWARDED.length()))) {
			return true;
		}
		for (String hop : removed) {
			if (hop.equalsIgnoreCase(name)) {
				return true;
			}
		}
		return false;
	}

}
