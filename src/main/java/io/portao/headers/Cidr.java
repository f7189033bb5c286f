package io.portao.headers;

import java.net.InetAddress;

import io.netty.util.NetUtil;

/**
 * An IPv4 or IPv6 address block in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}), or a single address
 * ({@code 192.0.2.7}, {@code ::1}). Parsed without name resolution.
 *
 * @param network the block's address bytes (4 or 16)
 * @param prefixLength how many leading bits of {@code network} an address must share
 */
record Cidr(byte[] network, int prefixLength) {

	/** The block {@code text} names, or {@code null} if it names none. */
	static Cidr parse(String text) {
		String trimmed = text.trim();
		int slash = trimmed.indexOf('/');
		byte[] address = NetUtil.createByteArrayFromIpAddressString((slash < 0) ? trimmed : trimmed.substring(0, slash));
		if (address == null) {
			return null;
		}
		int bits = address.length * 8;
		if (slash < 0) {
			return new Cidr(address, bits);
		}
		try {
			int prefix = Integer.parseInt(trimmed.substring(slash + 1));
			return (prefix >= 0 && prefix <= bits) ? new Cidr(address, prefix) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** Whether {@code address} lies in this block (an IPv4 address never lies in an IPv6 block, nor the reverse). */
	boolean contains(InetAddress address) {
		return contains(address.getAddress());
	}

	boolean contains(byte[] address) {
		if (address.length != this.network.length) {
			return false;
		}
		int whole = this.prefixLength / 8;
		for (int i = 0; i < whole; i++) {
			if (address[i] != this.network[i]) {
				return false;
			}
		}
		int rest = this.prefixLength % 8;
		if (rest == 0) {
			return true;
		}
		int mask = (0xff << (8 - rest)) & 0xff;
		return (address[whole] & mask) == (this.network[whole] & mask);
	}

}
