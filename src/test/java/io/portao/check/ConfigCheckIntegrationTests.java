package io.portao.check;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.portao.support.FreePorts;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code check} run in-process on a configuration in a temporary directory: each fault of issue 8 alone gives
 * exactly its one line and exit code 1, all of them together one line each, and the fault-free configuration
 * {@code configuration ok} and 0, without binding its ports.
 */
class ConfigCheckIntegrationTests {

	private static final String ROUTES = "spring.cloud.gateway.server.webflux.routes";

	private static final String INSTANCES = "spring.cloud.discovery.client.simple.instances";

	private static final String KEYSTORE = "spring.ssl.bundle.pem.web.keystore";

	private static final String SECOND = "spring.ssl.bundle.pem.second.keystore";

	@TempDir
	Path dir;

	CheckedConfig config;

	@BeforeEach
	void writeContract() throws Exception {
		this.config = new CheckedConfig(this.dir, FreePorts.next(), FreePorts.next());
	}

	/** Each fault: how it is made in the contract, and the line {@code check} prints for it. */
	record Fault(String name, Consumer<CheckedConfig> make, String line) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	static Stream<Fault> faults() {
		return Stream.of(
				new Fault("unknown property", c -> c.properties.put("portao.upstream.max-fail", "3"),
						"portao.upstream.max-fail: '3' (expected: a known property; did you mean portao.upstream.max-fails?)"),
				new Fault("wrong type", c -> c.properties.put("portao.upstream.fail-timeout", "ten seconds"),
						"portao.upstream.fail-timeout: 'ten seconds' (expected: a duration such as 250ms, 10s or 1m)"),
				new Fault("missing certificate file",
						c -> c.properties.put(KEYSTORE + ".certificate", c.file("ssl/missing.pem")),
						KEYSTORE + ".certificate: 'file:<dir>/ssl/missing.pem' "
								+ "(expected: an existing, readable PEM file)"),
				new Fault("key not matching the certificate",
						c -> c.properties.put(SECOND + ".private-key", c.file("ssl/cert.key")),
						SECOND + ".private-key: 'file:<dir>/ssl/cert.key' "
								+ "(expected: the private key of the certificate in file:<dir>/other/other.pem)"),
				new Fault("bad instance URI", c -> c.properties.put(INSTANCES + ".bapis[1].uri", "htp:/x"),
						INSTANCES + ".bapis[1].uri: 'htp:/x' (expected: an absolute http:// or https:// URI with a host "
								+ "and a port, e.g. http://127.0.0.1:8080)"),
				new Fault("route with no predicate", CheckedConfig::addRouteWithoutPredicate,
						ROUTES + "[1].predicates: [] (expected: at least one predicate, e.g. Path=/**)"),
				new Fault("static location not a directory",
						c -> c.properties.put("spring.web.resources.static-locations", c.file("ssl/cert.pem")),
						"spring.web.resources.static-locations: 'file:<dir>/ssl/cert.pem' (expected: an existing directory)"));
	}

	static Stream<Arguments> eachFault() {
		return faults().map(Arguments::of);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("eachFault")
	void eachFaultAloneIsOneLine(Fault fault) throws Exception {
		fault.make().accept(this.config);
		CheckedConfig.Result result = this.config.check();
		assertThat(result.lines()).containsExactly(fault.line().replace("<dir>", this.dir.toString()));
		assertThat(result.exitCode()).isEqualTo(1);
	}

	@Test
	void everyFaultTogetherIsOneLineEach() throws Exception {
		faults().forEach(fault -> fault.make().accept(this.config));
		CheckedConfig.Result result = this.config.check();
		assertThat(result.lines()).containsExactlyInAnyOrderElementsOf(
				faults().map(fault -> fault.line().replace("<dir>", this.dir.toString())).toList());
		assertThat(result.exitCode()).isEqualTo(1);
	}

	@Test
	void unknownPredicateIsFoundWithTheGatewaysOwnFactories() throws Exception {
		this.config.properties.put(ROUTES + "[0].predicates[0]", "Paht=/**");
		CheckedConfig.Result result = this.config.check();
		assertThat(result.lines()).containsExactly(ROUTES
				+ "[0].predicates[0]: 'Paht=/**' (expected: a predicate Spring Cloud Gateway has; did you mean Path?)");
		assertThat(result.exitCode()).isEqualTo(1);
	}

	@Test
	void filterArgumentTheGatewayRefusesIsOneLineThroughBootsFailureAnalyzer() throws Exception {
		this.config.properties.put(ROUTES + "[0].filters[0]", "StripPrefix=abc");
		CheckedConfig.Result result = this.config.check();
		assertThat(result.lines()).singleElement().asString().startsWith(ROUTES
				+ ": Failed to bind properties under 'parts' to int: Property: parts Value: \"abc\"");
		assertThat(result.exitCode()).isEqualTo(1);
	}

	@Test
	void valueOnlyStartUpRefusesIsOneLine() throws Exception {
		this.config.properties.put("portao.upstream.fail-timeout", "-10s");
		CheckedConfig.Result result = this.config.check();
		assertThat(result.lines())
			.containsExactly("portao.upstream.fail-timeout: -10s (expected: a duration > 0, e.g. 10s)");
		assertThat(result.exitCode()).isEqualTo(1);
	}

	@Test
	void contractIsOkWhileItsPortsAreTakenSoNothingIsBound() throws Exception {
		Set<Thread> before = liveThreads();
		InetAddress loopback = InetAddress.getLoopbackAddress();
		try (ServerSocket port = new ServerSocket(Integer.parseInt(this.config.properties.get("server.port")), 50, null);
				ServerSocket management = new ServerSocket(
						Integer.parseInt(this.config.properties.get("management.server.port")), 50, loopback)) {
			CheckedConfig.Result result = this.config.check();
			assertThat(result.lines()).containsExactly("configuration ok");
			assertThat(result.exitCode()).isZero();
		}
		assertThat(newThreadsAfter(before)).as("non-daemon threads left running by check").isEmpty();
	}

	private static Set<Thread> liveThreads() {
		return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon())
			.collect(Collectors.toSet());
	}

	/** Non-daemon threads started since {@code before} still alive, after waiting up to 10 s for them to end. */
	private static Set<Thread> newThreadsAfter(Set<Thread> before) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		Set<Thread> left = liveThreads();
		left.removeAll(before);
		while (!left.isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(100);
			left = liveThreads();
			left.removeAll(before);
		}
		return left;
	}

}
