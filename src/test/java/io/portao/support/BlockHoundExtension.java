package io.portao.support;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;

/**
 * Installs BlockHound once per test JVM, before the first test class runs, so that a blocking call on an event
 * loop of the gateway under test fails the test. Registered for every test class through
 * {@code junit.jupiter.extensions.autodetection.enabled} (src/test/resources).
 *
 * <p>BlockHound throws {@code BlockingOperationError} on the thread that blocked, which fails a test only when the
 * error reaches it. Netty catches and logs what a channel's initializer or a handler throws, so such a call used to
 * show only as a connection closed before its first request (a POST failure in InstanceKilledIntegrationTests, in
 * two runs of seven). Every report is therefore also recorded here, and a test class after which a report is left
 * fails, naming the thread and the stack of each (a report from a thread still busy after its class ended counts in
 * the next class).
 *
 * <p>BlockHound needs {@code -XX:+AllowRedefinitionToAddDeleteMethods} on JDK 13+ (the pom gives it to Surefire and
 * Failsafe); a JVM started without it (an IDE run) runs the tests without BlockHound rather than fail them all.
 */
public class BlockHoundExtension implements BeforeAllCallback, AfterAllCallback {

	private static final AtomicBoolean installed = new AtomicBoolean();

	private static final Queue<BlockingOperationError> reports = new ConcurrentLinkedQueue<>();

	@Override
	public void beforeAll(ExtensionContext context) {
		if (flagPresent() && installed.compareAndSet(false, true)) {
			BlockHound.install(builder -> builder.blockingMethodCallback(method -> {
				if (Thread.currentThread().getName().startsWith("vert.x-")) {
					// The Kubernetes client's informers and the tests' Kubernetes mock server, never the request
					// path; Vert.x has its own blocked-thread checker (PortaoBlockHoundIntegration says why here).
					return;
				}
				BlockingOperationError error = new BlockingOperationError(method);
				error.addSuppressed(new IllegalStateException("on thread " + Thread.currentThread().getName()));
				reports.add(error);
				throw error;
			}));
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		List<BlockingOperationError> left = takeReports();
		if (!left.isEmpty()) {
			AssertionError failure = new AssertionError(left.size() + " blocking call(s) on non-blocking threads"
					+ " during " + context.getDisplayName() + ", the first: " + left.get(0).getMessage() + " "
					+ left.get(0).getSuppressed()[0].getMessage());
			left.stream().limit(5).forEach(failure::addSuppressed);
			throw failure;
		}
	}

	/** The blocking calls reported since the last take, for a test that makes one on purpose. */
	public static List<BlockingOperationError> takeReports() {
		List<BlockingOperationError> taken = new ArrayList<>();
		BlockingOperationError each;
		while ((each = reports.poll()) != null) {
			taken.add(each);
		}
		return taken;
	}

	/** Whether BlockHound is active in this JVM. */
	public static boolean isInstalled() {
		return installed.get();
	}

	private static boolean flagPresent() {
		HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		return "true".equals(vm.getVMOption("AllowRedefinitionToAddDeleteMethods").getValue());
	}

}
