package io.portao.reload;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code kill -HUP <pid>} reloads, as it does nginx's master process. The JDK has no public signal API;
 * {@code sun.misc.Signal} (module {@code jdk.unsupported}, exported for exactly this kind of use) is what Tomcat,
 * Elasticsearch and others use. Without it (a JVM run with {@code -Xrs}, a platform without SIGHUP), the file watch
 * and the endpoint remain.
 */
final class HangupSignal {

	private static final Log logger = LogFactory.getLog(HangupSignal.class);

	private HangupSignal() {
	}

	/** Calls {@code onHangup} (on the signal dispatcher's thread: it must hand the work off) at each SIGHUP. */
	static boolean install(Runnable onHangup) {
		try {
			SignalHandler previous = Signal.handle(new Signal("HUP"), signal -> onHangup.run());
			if (previous == SignalHandler.SIG_IGN) {
				// HotSpot leaves a shutdown signal that was ignored when the JVM started ignored (started under
				// nohup, or by a parent ignoring SIGHUP): the handler is not installed and kill -HUP does nothing.
				logger.warn("SIGHUP was ignored when this process started (nohup?), so it cannot trigger reloads; "
						+ "the file watch and POST /actuator/reload still do");
				return false;
			}
			return true;
		}
		catch (IllegalArgumentException | UnsupportedOperationException | LinkageError ex) {
			logger.info("SIGHUP cannot trigger reloads here (" + ex.getMessage() + "); the file watch and "
					+ "POST /actuator/reload still do");
			return false;
		}
	}

}
