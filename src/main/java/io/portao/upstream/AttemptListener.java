package io.portao.upstream;

/**
 * Told of every attempt the gateway makes to an upstream instance (failed attempts and retries included), on the
 * event loop that ended it: implementations must be quick and must not block. Registered with
 * {@link UpstreamRegistry#addListener(AttemptListener)}; the {@code upstream} package itself knows nothing of
 * metrics or logs.
 */
@FunctionalInterface
public interface AttemptListener {

	/** An attempt was sent to {@code instance} of {@code upstream}. */
	default void attemptStarted(String upstream, InstanceState instance) {
	}

	/** An attempt ended; called exactly once per started attempt. */
	void attemptEnded(AttemptResult result);

}
