package io.portao.upstream;

import java.io.IOException;

/**
 * The instance closed the connection before the response headers came (Reactor Netty's
 * {@code PrematureCloseException}, which only its client can create): nginx's "upstream prematurely closed
 * connection while reading response header from upstream", a failure of the {@code error} kind.
 */
public class ClosedBeforeResponseException extends IOException {

	public ClosedBeforeResponseException(String address) {
		super("Connection to " + address + " closed before the response");
	}

}
