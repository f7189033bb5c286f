package io.portao.nginx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

import io.portao.support.FreePorts;
import io.portao.support.NginxProcess;
import io.portao.support.PortaoJar;

/**
 * One nginx site file ({@code src/test/resources/nginx/differential/<name>.conf}, with {@code @PORT@},
 * {@code @ROOT@} and backend placeholders) run twice: by nginx, and by the packaged jar with what
 * {@code import-nginx} made of the same file (only the listen port differs), for differential tests.
 */
final class ImportedSite implements AutoCloseable {

	private final NginxProcess nginx;

	private final PortaoJar portao;

	private final int portaoPort;

	private ImportedSite(NginxProcess nginx, PortaoJar portao, int portaoPort) {
		this.nginx = nginx;
		this.portao = portao;
		this.portaoPort = portaoPort;
	}

	/** Starts both on free loopback ports; {@code values} replace the placeholders other than {@code @PORT@}. */
	static ImportedSite start(String name, Path dir, Map<String, String> values) throws Exception {
		String template;
		try (InputStream in = ImportedSite.class.getResourceAsStream("/nginx/differential/" + name + ".conf")) {
			template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		for (Map.Entry<String, String> value : values.entrySet()) {
			template = template.replace(value.getKey(), value.getValue());
		}
		int nginxPort = FreePorts.next();
		NginxProcess nginx = NginxProcess.startSite(Files.createDirectories(dir.resolve("nginx")),
				template.replace("@PORT@", String.valueOf(nginxPort)), nginxPort);
		try {
			int portaoPort = FreePorts.next();
			Path conf = Files.writeString(dir.resolve(name + ".conf"), template.replace("@PORT@", String.valueOf(portaoPort)));
			return new ImportedSite(nginx, PortaoJar.startImported(dir, conf, portaoPort).gateway(), portaoPort);
		}
		catch (Exception | AssertionError ex) {
			nginx.close();
			throw ex;
		}
	}

	/** nginx's answer to a raw request. */
	Answer nginx(String request) throws IOException {
		return Answer.send(this.nginx.port(), request);
	}

	/** Portão's answer to a raw request. */
	Answer portao(String request) throws IOException {
		return Answer.send(this.portaoPort, request);
	}

	/** The answers of nginx (the oracle) and of Portão to the same raw request. */
	Answer[] send(String request) throws IOException {
		return new Answer[] { Answer.send(this.nginx.port(), request), Answer.send(this.portaoPort, request) };
	}

	@Override
	public void close() throws InterruptedException {
		try {
			this.portao.close();
		}
		finally {
			this.nginx.close();
		}
	}

	/**
	 * Writes a file of the site's static root with a fixed modification time, so that both servers' {@code ETag} and
	 * {@code Last-Modified} are compared on the same value.
	 */
	static void write(Path file, String content) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, content);
		Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-01-02T03:04:05Z")));
	}

	/** A Location made comparable: nginx's own redirects are absolute with its own port, Portão's the path. */
	static String locationPath(String location, String host) {
		return (location != null && location.startsWith("http://" + host)) ? location.replaceFirst("^http://[^/]+", "")
				: location;
	}

}
