package io.portao.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;


/**
 * The IPv6 loopback address, for tests of what the gateway does with an IPv6 client. Only this check of the
 * machine may skip such a test: the test's own exchange with the gateway runs after it, outside any catch, so that
 * a gateway that refuses or resets an IPv6 connection fails the test instead of skipping it.
 */
public final class Ipv6Loopback {

	/** Set to {@code true} (CI does) to fail instead of skipping when this machine has no IPv6 loopback. */
	public static final String REQUIRE_PROPERTY = "portao.require-ipv6";

	private Ipv6Loopback() {
	}

	/**
	 * {@code ::1}, once a socket of this JVM has listened on it and another has connected to that one; skips the
	 * calling test otherwise, or fails it when {@value #REQUIRE_PROPERTY} is {@code true}.
	 */
	public static InetAddress require() {
		try {
			InetAddress address = InetAddress.getByName("::1");
			try (ServerSocket server = new ServerSocket(0, 1, address);
					Socket client = new Socket(address, server.getLocalPort())) {
				return address;
			}
		}
		catch (IOException noIpv6) {
			return RequiredTools.missing(REQUIRE_PROPERTY,
					"no IPv6 loopback on this machine (" + noIpv6 + "): skipping the IPv6 client test");
		}
	}

}
