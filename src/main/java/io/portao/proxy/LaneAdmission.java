package io.portao.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.server.HttpServerRequest;

import io.portao.headers.LaneHeaders;
import io.portao.headers.TrustedProxyAddresses;
import io.portao.limits.RequestTargetRules;
import io.portao.staticfiles.StaticPaths;

/**
 * Which requests the proxy lane may serve exactly as the gateway path would, whatever their route: a {@code GET}
 * without a body (none, or {@code Content-Length: 0}), {@code Transfer-Encoding}, {@code Upgrade},
 * {@code Expect} or {@code Content-Type}, with headers {@link LaneHeaders} can forward, from a peer that is not a
 * trusted proxy, whose raw target is plain (origin-form printable ASCII that the request target check accepts)
 * and outside the static locations. Anything else (bodies to replay, WebSockets, {@code 100-continue}, a proxy's
 * {@code X-Forwarded-For} to read) takes the gateway path.
 *
 * @param staticPaths the static locations' paths, never proxied here; null: static files are off
 */
record LaneAdmission(LaneHeaders headers, TrustedProxyAddresses trustedProxies, @Nullable StaticPaths staticPaths) {

	boolean admits(HttpServerRequest request) {
		if (!HttpMethod.GET.equals(request.method())) {
			return false;
		}
		String target = request.uri();
		if (!isPlain(target) || (this.staticPaths != null && this.staticPaths.mayServe(target))
				|| RequestTargetRules.refused(target)) {
			return false;
		}
		HttpHeaders headers = request.requestHeaders();
		return !hasBody(headers) && !headers.contains(HttpHeaderNames.TRANSFER_ENCODING)
				&& !headers.contains(HttpHeaderNames.UPGRADE) && !headers.contains(HttpHeaderNames.EXPECT)
				&& !headers.contains(HttpHeaderNames.CONTENT_TYPE) && this.headers.accepts(headers)
				&& !this.trustedProxies.mayBeTrustedPeer(request.remoteAddress());
	}

	/** A {@code Content-Length} other than one {@code 0} (Java's HTTP client sends {@code 0} on every GET). */
	private static boolean hasBody(HttpHeaders headers) {
		if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
			return false;
		}
		java.util.List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
		return lengths.size() != 1 || !"0".equals(lengths.get(0));
	}

	/** Origin-form, printable ASCII, no fragment: what {@code java.net.URI} takes as the gateway path's. */
	private static boolean isPlain(String target) {
		if (target.isEmpty() || target.charAt(0) != '/') {
			return false;
		}
		for (int i = 0; i < target.length(); i++) {
			char c = target.charAt(i);
			if (c <= 0x20 || c >= 0x7f || c == '#' || c == '\\' || c == '"' || c == '<' || c == '>' || c == '^'
					|| c == '`' || c == '{' || c == '|' || c == '}') {
				return false;
			}
		}
		return true;
	}

}
