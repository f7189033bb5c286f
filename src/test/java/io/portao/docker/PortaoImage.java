package io.portao.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The image built from the top-level {@code Dockerfile} and the packaged jar, as a user builds it: the build
 * context holds only the two, as {@code .dockerignore} makes it for {@code docker build .}.
 */
final class PortaoImage {

	/**
	 * The {@code BASE_IMAGE} build argument; blank keeps the Dockerfile's default (which must then be pulled).
	 * {@code .ci/run} passes {@code portao/jre-base:25}, the image {@code .ci/docker-base.sh} built (a runtime
	 * jlinked from the machine's Temurin 25 on a Debian root).
	 */
	static final String BASE_IMAGE_PROPERTY = "portao.docker.base-image";

	private PortaoImage() {
	}

	/**
	 * Kept after the tests (not deleted on exit): the next build reuses its dependency layers, and
	 * {@link #removeUntaggedBuilds()} removes what the build before left behind.
	 */
	static final String NAME = "localhost/portao-e2e:latest";

	/** The version a base image's tag starts with: {@code portao/jre-base:25}, {@code eclipse-temurin:17-jre}. */
	private static final Pattern TAG_VERSION = Pattern.compile(":(\\d+)[^:/]*$");

	static ImageFromDockerfile fromDockerfile() {
		Path jar = jar();
		ImageFromDockerfile image = new ImageFromDockerfile(NAME, false)
			.withFileFromPath("Dockerfile", Path.of("Dockerfile"))
			.withFileFromPath("target/" + jar.getFileName(), jar);
		String base = System.getProperty(BASE_IMAGE_PROPERTY, "");
		return base.isBlank() ? image : image.withBuildArg("BASE_IMAGE", base);
	}

	/**
	 * The Java feature version the image is built on, as its base image's tag names it ({@value #BASE_IMAGE_PROPERTY},
	 * else the Dockerfile's default {@code ARG BASE_IMAGE}); empty when the tag names none.
	 */
	static OptionalInt expectedJavaVersion() {
		String base = System.getProperty(BASE_IMAGE_PROPERTY, "");
		if (base.isBlank()) {
			try (Stream<String> lines = Files.lines(Path.of("Dockerfile"))) {
				base = lines.filter(l -> l.startsWith("ARG BASE_IMAGE=")).findFirst().orElseThrow().substring(15);
			}
			catch (IOException ex) {
				throw new IllegalStateException("cannot read the Dockerfile", ex);
			}
		}
		Matcher version = TAG_VERSION.matcher(base.strip());
		return version.find() ? OptionalInt.of(Integer.parseInt(version.group(1))) : OptionalInt.empty();
	}

	/**
	 * Removes the untagged images earlier builds of the Dockerfile left (an older image replaced under
	 * {@link #NAME}, the classic builder's extraction stages), found by the Dockerfile's {@code io.portao.image}
	 * label, so that repeated runs do not fill the disk.
	 */
	static void removeUntaggedBuilds() {
		DockerClient docker = DockerClientFactory.instance().client();
		for (Image image : docker.listImagesCmd().withDanglingFilter(true).withLabelFilter("io.portao.image").exec()) {
			try {
				docker.removeImageCmd(image.getId()).exec();
			}
			catch (ConflictException | NotFoundException inUseOrGone) {
				// Still used by a container or removed meanwhile: left for the next run.
			}
		}
	}

	private static Path jar() {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter(f -> f.getFileName().toString().matches("portao-.*\\.jar")).findFirst()
				.orElseThrow(() -> new IllegalStateException("run after 'package': no target/portao-*.jar"));
		}
		catch (IOException ex) {
			throw new IllegalStateException("no target/ directory: run after 'package'", ex);
		}
	}

}
