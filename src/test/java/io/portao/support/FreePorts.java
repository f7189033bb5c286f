package io.portao.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A free loopback port, for servers whose port must be known before they start.
 *
 * <p>Taken below the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}, 32768–60999 by default):
 * a port from that range (what {@code bind(0)} returns) can be handed by the kernel to any outgoing connection or
 * any other {@code bind(0)} between this call and the server's own bind, which made a test fail now and then with
 * "Port … is already in use". Below it, only a server given the port explicitly can take it; each port is handed
 * out once per JVM.
 */
public final class FreePorts {

	private static final int LOWEST = 10_000;

	private static final Set<Integer> handedOut = ConcurrentHashMap.newKeySet();

	private FreePorts() {
	}

	public static int next() {
		int ephemeralStart = ephemeralStart();
		if (ephemeralStart - LOWEST < 1_000) {
			return anyFree();
		}
		for (int tries = 0; tries < 1_000; tries++) {
			int port = ThreadLocalRandom.current().nextInt(LOWEST, ephemeralStart);
			if (handedOut.add(port) && bindable(port)) {
				return port;
			}
		}
		return anyFree();
	}

	private static boolean bindable(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** The first port of the kernel's ephemeral range (Linux), or 32768 when it cannot be read. */
	private static int ephemeralStart() {
		try {
			String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
			return Integer.parseInt(range.split("\\s+")[0]);
		}
		catch (IOException | RuntimeException ex) {
			return 32_768;
		}
	}

	private static int anyFree() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException("no free port", ex);
		}
	}

}
