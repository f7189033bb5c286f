package io.portao.staticfiles;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;

/**
 * The responses {@link StaticFileHandler} has in flight, waited for on shutdown. Reactor Netty's graceful
 * shutdown waits for the connections whose requests it holds and closes the others at once: a connection on which
 * that handler is still sending a file would be cut. So this lifecycle stops first (a phase above Boot's graceful
 * shutdown): from then on the handler takes no request (they go on to Reactor Netty, whose shutdown waits for
 * them), and the ones it is sending are waited for, up to {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
final class StaticFileDrain implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(StaticFileDrain.class);

	/** Before Boot's graceful shutdown of the web server (a higher phase stops first). */
	static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1;

	// Not contended: each event loop adds to its own cell; summed only while shutting down.
	private final LongAdder inFlight = new LongAdder();

	private final Duration timeout;

	private volatile boolean draining;

	private volatile boolean running;

	StaticFileDrain(Duration timeout) {
		this.timeout = timeout;
	}

	void begin() {
		this.inFlight.increment();
	}

	void end() {
		this.inFlight.decrement();
	}

	boolean draining() {
		return this.draining;
	}

	/** Responses being sent now. */
	long inFlight() {
		return this.inFlight.sum();
	}

	@Override
	public void start() {
		this.draining = false;
		this.running = true;
	}

	@Override
	public void stop() {
		this.draining = true;
		long deadline = System.nanoTime() + this.timeout.toNanos();
		try {
			while (this.inFlight.sum() > 0 && System.nanoTime() < deadline) {
				TimeUnit.MILLISECONDS.sleep(5);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		long left = this.inFlight.sum();
		if (left > 0) {
			logger.warn(left + " static file response(s) still being sent after " + this.timeout + "; shutting down");
		}
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
