package io.portao.architecture;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.SpringBootVersion;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.web.reactive.resource.ResourceWebHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The versions Portão's framework overrides were checked against. Each override below depends on how the named
 * framework class behaves inside, not only on its API; an upgrade that changes these versions fails here, so that
 * it is a decision: read each override against the new source, then update the version.
 */
class FrameworkVersionsTests {

	/**
	 * Where Portão replaces or bypasses a piece of Spring Cloud Gateway, WebFlux or Reactor Netty, and what it
	 * relies on there.
	 */
	static final Map<String, String> OVERRIDES = Map.ofEntries(
			Map.entry("framework.LeanLoadBalancerClientFilter",
					"ReactiveLoadBalancerClientFilter: its filter() rewritten, the URL and lifecycle handling kept"),
			Map.entry("framework.EventLoopTimeoutRoutingFilter",
					"NettyRoutingFilter by class; getHttpClient(Route, exchange) and its response timeout attribute"),
			Map.entry("framework.EventLoopResponseTimeout",
					"swaps NettyRoutingFilter's bean for EventLoopTimeoutRoutingFilter (BeanPostProcessor)"),
			Map.entry("framework.LoopAffineClients",
					"Reactor Netty keeps a pool per LoopResources: one HttpClient derived per event loop"),
			Map.entry("framework.CopyOnlyWhenNeeded",
					"Spring Cloud Gateway's four default HttpHeadersFilter beans, swapped by class"),
			Map.entry("framework.UniqueNameHeaders", "Spring's HttpHeaders.forEach (spring-web 7.0 copies the names)"),
			Map.entry("framework.NoClientDefaultHeaders", "Reactor Netty's HttpClient default headers"),
			Map.entry("framework.AotLoadBalancerClientFactory", "LoadBalancerClientFactory: buildContext under AOT, "
					+ "and LoadBalancerChildContextInitializer, which rewraps a bean of exactly that class"),
			Map.entry("aot.AotConditionsGuard", "SpringApplication's order: environment post-processors run before "
					+ "the logging system, the context's creation and every other read of AotDetector; Boot's "
					+ "condition report records every SpringBootCondition"),
			Map.entry("framework.CaseInsensitiveHosts", "the AntPathMatcher of HostRoutePredicateFactory"),
			Map.entry("framework.LaneRequestTimer", "Boot's http.server.requests observation, by class name"),
			Map.entry("framework.SpringExchange", "Spring's HttpWebHandlerAdapter, bypassed by the lanes"),
			Map.entry("proxy.ProxyLane", "Spring's HTTP adapter and the gateway filter chain, ahead of them on "
					+ "Reactor Netty's routes (NettyRouteProvider)"),
			Map.entry("staticfiles.StaticFileHandler", "Reactor Netty's HttpTrafficHandler, ahead of it in the "
					+ "pipeline: its pending responses and ops binding (order), its request counter (the connection "
					+ "object is an AtomicLong), IdleTimeoutHandler by name, reading on demand (no auto-read); and "
					+ "DisposableServer.disposeNow closing at once the connections with no operations bound"),
			Map.entry("staticfiles.StaticFilesHandlerMapping", "WebFlux's resource handler mapping"),
			Map.entry("staticfiles.StaticResourceWebHandler", "ResourceWebHandler"));

	/** Checked against: the versions Spring Boot 4.0.7's and Spring Cloud 2025.1.4's BOMs give. */
	static final Map<String, String> CHECKED = new LinkedHashMap<>();

	static {
		CHECKED.put("Spring Boot", "4.0.7");
		CHECKED.put("Spring Cloud Gateway", "5.0.4");
		CHECKED.put("Spring Cloud LoadBalancer", "5.0.4");
		CHECKED.put("Spring WebFlux", "7.0.8");
		CHECKED.put("Reactor Netty", "1.3.8");
	}

	@Test
	void theFrameworksAreTheVersionsTheOverridesWereCheckedAgainst() throws Exception {
		Map<String, String> running = new LinkedHashMap<>();
		running.put("Spring Boot", SpringBootVersion.getVersion());
		running.put("Spring Cloud Gateway", version(NettyRoutingFilter.class));
		running.put("Spring Cloud LoadBalancer", version(ReactorLoadBalancer.class));
		running.put("Spring WebFlux", version(ResourceWebHandler.class));
		running.put("Reactor Netty", version(HttpServer.class));
		assertThat(running)
			.as("framework versions changed: read each of Portão's overrides against the new sources, then update "
					+ "CHECKED; the overrides: %s", OVERRIDES)
			.isEqualTo(CHECKED);
	}

	@Test
	void everyClassOfTheFrameworkPackageIsNamedWithWhatItReplaces() throws IOException {
		List<String> classes;
		try (Stream<Path> files = Files.list(Path.of("src/main/java/io/portao/framework"))) {
			classes = files.map(file -> file.getFileName().toString())
				.filter(name -> name.endsWith(".java") && !name.equals("package-info.java")
						&& !name.endsWith("Configuration.java"))
				.map(name -> "framework." + name.substring(0, name.length() - ".java".length()))
				.toList();
		}
		assertThat(classes).isNotEmpty();
		assertThat(OVERRIDES).containsKeys(classes.toArray(String[]::new));
	}

	@Test
	void everyOverrideNamedIsAClassOfPortao() {
		assertThat(OVERRIDES.keySet()).allSatisfy(name -> assertThat(Class.forName("io.portao." + name)).isNotNull());
	}

	/** The {@code Implementation-Version} of the jar that holds {@code type}. */
	private static String version(Class<?> type) throws IOException, URISyntaxException {
		Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
		try (JarFile file = new JarFile(jar.toFile())) {
			return file.getManifest().getMainAttributes().getValue("Implementation-Version");
		}
	}

}
