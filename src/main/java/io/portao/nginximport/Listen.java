package io.portao.nginximport;

import java.util.List;

/**
 * One nginx {@code listen}: address (null for every address), port, and whether it speaks TLS.
 *
 * @param address the address to bind, or null for all ({@code *}, {@code [::]} or none given)
 * @param port the port
 * @param ssl whether the port speaks TLS ({@code listen … ssl} or the server's old {@code ssl on})
 * @param defaultServer whether this server is the port's default ({@code default_server})
 */
record Listen(String address, int port, boolean ssl, boolean defaultServer) {

	/** nginx's default when a server has no {@code listen}: {@code *:80}. */
	static final Listen DEFAULT = new Listen(null, 80, false, false);

	/** The {@code listen} directive read as nginx reads it, or null for a UNIX socket. */
	static Listen parse(Directive listen, boolean sslOn) {
		String spec = listen.requireArgs(1).arg();
		if (spec.startsWith("unix:")) {
			return null;
		}
		String address = null;
		String port = spec;
		int colon = spec.lastIndexOf(':');
		if (spec.startsWith("[")) {
			int close = spec.indexOf(']');
			if (close < 0) {
				throw new ConfigSyntaxException(listen.file(), listen.line(), "invalid IPv6 address in \"" + spec + "\"");
			}
			address = spec.substring(1, close);
			port = (colon > close) ? spec.substring(colon + 1) : "80";
		}
		else if (colon >= 0) {
			address = spec.substring(0, colon);
			port = spec.substring(colon + 1);
		}
		else if (!spec.matches("\\d+")) {
			address = spec;
			port = "80";
		}
		if (address != null && (address.equals("*") || address.equals("::") || address.equals("0.0.0.0"))) {
			address = null;
		}
		List<String> parameters = listen.args().subList(1, listen.args().size());
		boolean ssl = sslOn || parameters.contains("ssl");
		boolean isDefault = parameters.contains("default_server") || parameters.contains("default");
		try {
			return new Listen(address, Integer.parseInt(port), ssl, isDefault);
		}
		catch (NumberFormatException ex) {
			throw new ConfigSyntaxException(listen.file(), listen.line(), "invalid port in \"" + spec + "\"");
		}
	}

}
