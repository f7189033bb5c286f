package io.portao.support;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound once per test JVM, before the first test class runs, so that a blocking call on an event
 * loop of the gateway under test fails the test with {@code BlockingOperationError}. Registered for every test
 * class through {@code junit.jupiter.extensions.autodetection.enabled} (src/test/resources).
 *
 * <p>BlockHound needs {@code -XX:+AllowRedefinitionToAddDeleteMethods} on JDK 13+ (the pom gives it to Surefire and
 * Failsafe); a JVM started without it (an IDE run) runs the tests without BlockHound rather than fail them all.
 */
public class BlockHoundExtension implements BeforeAllCallback {

	private static final AtomicBoolean installed = new AtomicBoolean();

	@Override
	public void beforeAll(ExtensionContext context) {
		if (flagPresent() && installed.compareAndSet(false, true)) {
			BlockHound.install();
		}
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
