package io.portao.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.portao.support.ChaosScenario.Proxy;

import static io.portao.support.ChaosScenario.RESPONSE_TIMEOUT;

/** The two proxies {@link ChaosScenario} compares, each started on the scenario's three instances. */
public final class ChaosProxies {

	private ChaosProxies() {
	}

	/** The packaged jar with the README's contract plus the 2 s response timeout, nothing else. */
	public static Proxy.Starter portao(List<String> extraArgs) {
		return (dir, ports) -> {
			int port = FreePorts.next();
			Path yaml = dir.resolve("chaos.yml");
			Files.writeString(yaml, ContractProperties.yaml(port, ports.stream().map(p -> "http://127.0.0.1:" + p).toList())
					+ "spring.cloud.gateway.server.webflux.httpclient.response-timeout: "
					+ RESPONSE_TIMEOUT.toSeconds() + "s\n");
			List<String> args = new ArrayList<>(List.of("--spring.config.additional-location=file:" + yaml,
					"--management.server.port=" + FreePorts.next()));
			args.addAll(extraArgs);
			PortaoJar jar = PortaoJar.start(dir, args, port);
			return new Proxy(port, jar::log, jar);
		};
	}

	/** nginx with its defaults ({@code proxy_next_upstream error timeout}, {@code max_fails=1 fail_timeout=10s}). */
	public static Proxy.Starter nginx() {
		return (dir, ports) -> {
			int port = FreePorts.next();
			NginxProcess nginx = NginxProcess.startSite(dir, nginxSite(port, ports), port);
			return new Proxy(port, nginx::log, nginx);
		};
	}

	/** The reference site's proxy location with nginx's defaults and {@code proxy_read_timeout 2s}. */
	static String nginxSite(int port, List<Integer> ports) {
		StringBuilder site = new StringBuilder("upstream bapis {\n");
		ports.forEach(p -> site.append("    server 127.0.0.1:").append(p).append(";\n"));
		site.append("}\nserver {\n    listen 127.0.0.1:").append(port).append(";\n    location / {\n")
			.append("        proxy_pass_header Server;\n        proxy_set_header Host $http_host;\n")
			.append("        proxy_redirect off;\n        proxy_set_header X-Real-IP $remote_addr;\n")
			.append("        proxy_set_header X-Scheme $scheme;\n")
			.append("        proxy_read_timeout ").append(RESPONSE_TIMEOUT.toSeconds()).append("s;\n")
			.append("        proxy_pass http://bapis;\n    }\n}\n");
		return site.toString();
	}

}
