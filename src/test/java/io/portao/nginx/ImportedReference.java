package io.portao.nginx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.portao.support.FreePorts;
import io.portao.support.NginxProcess;
import io.portao.support.PortaoJar;
import io.portao.support.ReferenceConfig;
import io.portao.support.TestCertificates;

/**
 * A reference file ({@code conf.d/bapi.conf} or {@code bapi-ssl.conf}, ports and paths substituted) run by nginx,
 * and the packaged jar started with nothing but what {@code import-nginx} made of the same file.
 *
 * @param nginx nginx running the file
 * @param portao the jar running its import
 * @param port the port the jar listens on
 * @param imported what {@code import-nginx} printed
 */
record ImportedReference(NginxProcess nginx, PortaoJar portao, int port, PortaoJar.Run imported) {

	static ImportedReference start(String reference, Path dir, List<Integer> backends, Path root,
			TestCertificates.Pem tls) throws Exception {
		int nginxPort = FreePorts.next();
		NginxProcess nginx = NginxProcess.startSite(Files.createDirectories(dir.resolve("nginx")),
				ReferenceConfig.forTest(reference, nginxPort, backends, root, tls), nginxPort);
		int port = FreePorts.next();
		Path imports = Files.createDirectories(dir.resolve("imported"));
		Path conf = Files.writeString(imports.resolve(Path.of(reference).getFileName()),
				ReferenceConfig.forTest(reference, port, backends, root, tls));
		PortaoJar.Imported imported = PortaoJar.startImported(imports, conf, port);
		return new ImportedReference(nginx, imported.gateway(), port, imported.run());
	}

}
