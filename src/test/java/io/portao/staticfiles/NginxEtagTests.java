package io.portao.staticfiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.io.FileSystemResource;

import static org.assertj.core.api.Assertions.assertThat;

class NginxEtagTests {

	@Test
	void hexSecondsDashHexSize() {
		// 1704164645 s = 0x65937d25, 1234 bytes = 0x4d2; the milliseconds are dropped, as nginx keeps seconds only
		assertThat(NginxEtag.format(1704164645678L, 1234)).isEqualTo("\"65937d25-4d2\"");
		assertThat(NginxEtag.format(0, 0)).isEqualTo("\"0-0\"");
	}

	@Test
	void readsModificationTimeAndSizeOfAFile(@TempDir Path dir) throws IOException {
		Path file = Files.writeString(dir.resolve("a.css"), "0123456789abcdefg");
		Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-01-02T03:04:05Z")));

		assertThat(new NginxEtag().apply(new FileSystemResource(file))).isEqualTo("\"65937d25-11\"");
	}

	@Test
	void noEtagForAFileThatVanished(@TempDir Path dir) {
		assertThat(new NginxEtag().apply(new FileSystemResource(dir.resolve("gone.css")))).isNull();
	}

}
