package io.portao.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gateway's access-log file, for tests that send one request and want exactly the one line it wrote: sends the
 * raw request, waits (bounded) for the line to be flushed, and checks that no other line came with it.
 */
public record AccessLogTail(Path log) {

	/** The answer to {@code request} on {@code port} and the access-log line it wrote. */
	public Logged send(int port, String request) throws IOException {
		int before = lines().size();
		RawHttpClient.RawResponse response = RawHttpClient.send(port, request, Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(10)).until(() -> lines().size() > before);
		List<String> all = lines();
		assertThat(all).hasSize(before + 1);
		return new Logged(response, all.get(before));
	}

	private List<String> lines() {
		try {
			return Files.readAllLines(this.log, StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** An answer and the line logged for it. */
	public record Logged(RawHttpClient.RawResponse response, String line) {
	}

}
