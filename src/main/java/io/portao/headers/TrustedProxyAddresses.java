package io.portao.headers;

import java.net.InetSocketAddress;
import java.util.List;

import io.netty.util.NetUtil;

/**
 * The address blocks of {@code portao.trusted-proxies}, and the nginx realip walk over {@code X-Forwarded-For} (named
 * apart from Spring Cloud Gateway's own {@code TrustedProxies}, which only guards its {@code X-Forwarded-*} filters).
 */
public final class TrustedProxyAddresses {

	static final String X_FORWARDED_FOR = "X-Forwarded-For";

	private volatile List<Cidr> blocks;

	TrustedProxyAddresses(List<Cidr> blocks) {
		this.blocks = List.copyOf(blocks);
	}

	/** Trusts {@code next} from the next request on (a configuration reload). */
	void blocks(List<Cidr> next) {
		this.blocks = List.copyOf(next);
	}

	/** Whether any proxy is trusted at all. */
	public boolean any() {
		return !this.blocks.isEmpty();
	}

	/**
	 * Whether a lane must leave a request from {@code peer} to the web stack: the peer is a trusted proxy (its
	 * client comes from {@code X-Forwarded-For}), or unknown while proxies are trusted. Free in the usual case (no
	 * proxy trusted): no copy of the peer's address bytes per request.
	 */
	public boolean mayBeTrustedPeer(InetSocketAddress peer) {
		if (!any()) {
			return false;
		}
		return peer == null || peer.getAddress() == null || trusts(peer.getAddress().getAddress());
	}

	/** Whether {@code address} (4 or 16 bytes) is in one of the trusted blocks. */
	public boolean trusts(byte[] address) {
		for (Cidr block : this.blocks) {
			if (block.contains(address)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The client behind trusted {@code peer}: the rightmost untrusted address of the {@code X-Forwarded-For}
	 * lines (each a comma-separated list, in order), or the leftmost if all are trusted.
	 */
	String clientBehind(String peer, List<String> forwardedFor) {
		if (forwardedFor == null) {
			return peer;
		}
		String client = peer;
		for (int line = forwardedFor.size() - 1; line >= 0; line--) {
			String[] hops = forwardedFor.get(line).split(",");
			for (int i = hops.length - 1; i >= 0; i--) {
				byte[] address = NetUtil.createByteArrayFromIpAddressString(hops[i].trim());
				if (address == null) {
					return client;
				}
				client = NetUtil.bytesToIpAddress(address);
				if (!trusts(address)) {
					return client;
				}
			}
		}
		return client;
	}

}
