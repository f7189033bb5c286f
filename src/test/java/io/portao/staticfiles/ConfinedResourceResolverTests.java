package io.portao.staticfiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ConfinedResourceResolverTests {

	@TempDir
	Path dir;

	Path root;

	@BeforeEach
	void layout() throws IOException {
		this.root = Files.createDirectories(this.dir.resolve("releases/42"));
		Files.writeString(this.root.resolve("app.css"), "a");
		Files.writeString(this.dir.resolve("secret.txt"), "s");
	}

	@Test
	void plainFileInsideIsInside() {
		assertThat(ConfinedResourceResolver.isInside(this.root.resolve("app.css"), this.root)).isTrue();
	}

	@Test
	void linkPointingOutIsOutside() throws IOException {
		Path link = Files.createSymbolicLink(this.root.resolve("leak.txt"), this.dir.resolve("secret.txt"));

		assertThat(ConfinedResourceResolver.isInside(link, this.root)).isFalse();
	}

	@Test
	void linkStayingInsideIsInside() throws IOException {
		Path link = Files.createSymbolicLink(this.root.resolve("alias.css"), this.root.resolve("app.css"));

		assertThat(ConfinedResourceResolver.isInside(link, this.root)).isTrue();
	}

	@Test
	void rootReachedThroughALinkStillConfines() throws IOException {
		Path current = Files.createSymbolicLink(this.dir.resolve("current"), this.root);

		assertThat(ConfinedResourceResolver.isInside(current.resolve("app.css"), current)).isTrue();
		assertThat(ConfinedResourceResolver.isInside(current.resolve("../../secret.txt"), current)).isFalse();
	}

	@Test
	void siblingWithTheRootAsNamePrefixIsOutside() throws IOException {
		Path sibling = Files.createDirectories(this.dir.resolve("releases/42-old"));
		Files.writeString(sibling.resolve("x.css"), "x");

		assertThat(ConfinedResourceResolver.isInside(sibling.resolve("x.css"), this.root)).isFalse();
	}

	@Test
	void danglingLinkIsOutside() throws IOException {
		Path link = Files.createSymbolicLink(this.root.resolve("gone.css"), this.root.resolve("missing.css"));

		assertThat(ConfinedResourceResolver.isInside(link, this.root)).isFalse();
	}

}
