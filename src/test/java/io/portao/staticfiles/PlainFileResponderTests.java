package io.portao.staticfiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ZeroCopyHttpOutputMessage;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class PlainFileResponderTests {

	@TempDir
	Path root;

	@ParameterizedTest
	@ValueSource(strings = { "app.css", "css/app.css", "js/app.min.js", "a-b_c~d/e.f.g", "v1.2/x" })
	void plainPathsAreAnsweredDirectly(String path) {
		assertThat(PlainFileResponder.isPlain(path)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "/app.css", "css/", "css//app.css", ".env", "css/.git/config", "..", "../secret.txt",
			"css/../app.css", "./app.css", "a%2e%2e/b", "a b", "a;b", "a\\b", "café.css", "a?b", "a:b", "a\u0000b" })
	void everythingElseGoesToSpringsHandler(String path) {
		assertThat(PlainFileResponder.isPlain(path)).isFalse();
	}

	@Test
	void sendsAnExistingFileWithZeroCopyAndNginxHeaders() throws IOException {
		Path file = Files.writeString(this.root.resolve("app.css"), "body { }\n");
		Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L));
		Recorder response = new Recorder(MockServerWebExchange.from(MockServerHttpRequest.get("/static/app.css")));

		Mono<Void> answer = responder().respond(response.exchange("app.css"));

		assertThat(answer).isNotNull();
		answer.block();
		assertThat(response.file).isEqualTo(file);
		assertThat(response.count).isEqualTo(9);
		HttpHeaders headers = response.getHeaders();
		assertThat(headers.getFirst(HttpHeaders.ETAG)).isEqualTo("\"" + Long.toHexString(1_700_000_000L) + "-9\"");
		assertThat(headers.getFirst(HttpHeaders.LAST_MODIFIED)).isEqualTo("Tue, 14 Nov 2023 22:13:20 GMT");
		assertThat(headers.getFirst(HttpHeaders.CONTENT_TYPE)).isEqualTo("text/css");
		assertThat(headers.getFirst(HttpHeaders.CONTENT_LENGTH)).isEqualTo("9");
		assertThat(headers.getFirst(HttpHeaders.CACHE_CONTROL)).isEqualTo("max-age=60");
	}

	@ParameterizedTest
	@ValueSource(strings = { "Range", "If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "If-Range" })
	void conditionalAndPartialRequestsGoToSpringsHandler(String header) throws IOException {
		Files.writeString(this.root.resolve("app.css"), "body { }\n");
		Recorder response = new Recorder(MockServerWebExchange
			.from(MockServerHttpRequest.get("/static/app.css").header(header, "x")));

		assertThat(responder().respond(response.exchange("app.css"))).isNull();
	}

	@Test
	void missingFilesDirectoriesAndHeadGoToSpringsHandler() throws IOException {
		Files.createDirectories(this.root.resolve("dir"));
		assertThat(responder().respond(new Recorder(MockServerWebExchange.from(MockServerHttpRequest.get("/static/x")))
			.exchange("missing.css"))).isNull();
		assertThat(responder().respond(new Recorder(MockServerWebExchange.from(MockServerHttpRequest.get("/static/x")))
			.exchange("dir"))).isNull();
		Files.writeString(this.root.resolve("app.css"), "body { }\n");
		assertThat(responder().respond(new Recorder(MockServerWebExchange.from(MockServerHttpRequest.head("/static/x")))
			.exchange("app.css"))).isNull();
	}

	/**
	 * The real paths are compared only when a link is on the way; wherever the link is (the file, a directory below
	 * the root, the root itself), what is served is what the comparison of real paths allows.
	 */
	@Test
	void linksAnywhereBelowTheRootAreConfinedToIt(@TempDir Path outside) throws IOException {
		Files.writeString(outside.resolve("secret.txt"), "secret\n");
		Files.createDirectories(this.root.resolve("css/deep"));
		Files.writeString(this.root.resolve("css/deep/app.css"), "body { }\n");
		Files.createSymbolicLink(this.root.resolve("leak.txt"), outside.resolve("secret.txt"));
		Files.createSymbolicLink(this.root.resolve("out"), outside);
		Files.createSymbolicLink(this.root.resolve("css/out"), outside);
		Files.createSymbolicLink(this.root.resolve("styles"), this.root.resolve("css"));
		Files.createSymbolicLink(this.root.resolve("css/deep/alias.css"), this.root.resolve("css/deep/app.css"));
		Files.createSymbolicLink(this.root.resolve("gone.css"), this.root.resolve("missing.css"));
		PlainFileResponder files = responder();

		assertThat(files.find("css/deep/app.css")).as("no link on the way").isNotNull();
		assertThat(files.find("leak.txt")).as("a file linked out of the root").isNull();
		assertThat(files.find("out/secret.txt")).as("a directory linked out of the root").isNull();
		assertThat(files.find("css/out/secret.txt")).as("a deeper directory linked out").isNull();
		assertThat(files.find("styles/deep/app.css")).as("a directory linked inside the root").isNotNull();
		assertThat(files.find("css/deep/alias.css")).as("a file linked inside the root").isNotNull();
		assertThat(files.find("gone.css")).as("a dangling link").isNull();

		Path current = Files.createSymbolicLink(outside.resolve("current"), this.root);
		PlainFileResponder throughLink = new PlainFileResponder(List.of(current), NginxMimeTypes.load(), null, true);
		assertThat(throughLink.find("css/deep/app.css")).as("a root that is itself a link").isNotNull();
		assertThat(throughLink.find("out/secret.txt")).as("a link out, below a linked root").isNull();
	}

	/**
	 * {@link PlainFileResponder#find} does not ask whether the file can be read: the lane opens it before it sets a
	 * header, and a file that cannot be opened (gone since, or unreadable) gives no channel, so the request falls
	 * back to Spring's handler.
	 */
	@Test
	void theLaneLearnsWhetherAFoundFileCanBeReadByOpeningIt() throws IOException {
		Files.writeString(this.root.resolve("app.css"), "body { }\n");
		PlainFile found = responder().find("app.css");
		assertThat(found).isNotNull();
		try (FileChannel opened = FileBody.open(found.path())) {
			assertThat(opened).isNotNull();
			assertThat(opened.size()).isEqualTo(found.size());
		}
		Files.delete(this.root.resolve("app.css"));
		assertThat(FileBody.open(found.path())).isNull();
	}

	private PlainFileResponder responder() throws IOException {
		return new PlainFileResponder(List.of(this.root), NginxMimeTypes.load(), "max-age=60", true);
	}

	/** A response that supports zero-copy transfer, as Reactor Netty's does, and records the file it was given. */
	static final class Recorder extends ServerHttpResponseDecorator implements ZeroCopyHttpOutputMessage {

		private final ServerWebExchange exchange;

		Path file;

		long count;

		Recorder(MockServerWebExchange exchange) {
			super(exchange.getResponse());
			this.exchange = exchange;
		}

		ServerWebExchange exchange(String pathWithinMapping) {
			ServerWebExchange mutated = this.exchange.mutate().response(this).build();
			mutated.getAttributes()
				.put(HandlerMapping.PATH_WITHIN_HANDLER_MAPPING_ATTRIBUTE, PathContainer.parsePath(pathWithinMapping));
			return mutated;
		}

		@Override
		public Mono<Void> writeWith(Path file, long position, long count) {
			this.file = file;
			this.count = count;
			return Mono.empty();
		}

	}

}
