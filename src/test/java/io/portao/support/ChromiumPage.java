package io.portao.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * One page of a running headless Chromium, driven over the Chrome DevTools Protocol (a WebSocket on a loopback
 * port): {@code Runtime.evaluate} runs JavaScript in the page as a user's click would (an element's
 * {@code click()} dispatches the same event to the page's listeners). Opened by {@link HeadlessChromium#open}.
 */
public final class ChromiumPage implements AutoCloseable {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final ObjectMapper json = new ObjectMapper();

	private final WebSocket socket;

	private final Runnable stop;

	private final Map<Integer, CompletableFuture<JsonNode>> pending;

	private final AtomicInteger ids = new AtomicInteger();

	private ChromiumPage(WebSocket socket, Map<Integer, CompletableFuture<JsonNode>> pending, Runnable stop) {
		this.socket = socket;
		this.pending = pending;
		this.stop = stop;
	}

	/**
	 * Waits for the browser in {@code profile} to write its DevTools port ({@code DevToolsActivePort}), then
	 * connects to the page it opened at {@code url}.
	 */
	static ChromiumPage attach(Path profile, String url, Runnable stop) throws IOException, InterruptedException {
		Path portFile = profile.resolve("DevToolsActivePort");
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		while (System.nanoTime() < deadline) {
			String port = Files.exists(portFile) ? Files.readAllLines(portFile).stream().findFirst().orElse("").trim()
					: "";
			String page = port.isEmpty() ? null : pageSocket(http, port, url);
			if (page != null) {
				Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
				WebSocket socket = http.newWebSocketBuilder()
					.connectTimeout(Duration.ofSeconds(5))
					.buildAsync(URI.create(page), new Listener(pending))
					.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
					.join();
				return new ChromiumPage(socket, pending, stop);
			}
			Thread.sleep(100);
		}
		throw new IllegalStateException("no DevTools page for " + url + " within " + TIMEOUT);
	}

	private static String pageSocket(HttpClient http, String port, String url) throws IOException, InterruptedException {
		HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
			.timeout(Duration.ofSeconds(5))
			.build(), HttpResponse.BodyHandlers.ofString());
		for (JsonNode target : json.readTree(list.body())) {
			if ("page".equals(target.path("type").asString()) && target.path("url").asString().startsWith(url)) {
				return target.path("webSocketDebuggerUrl").asString();
			}
		}
		return null;
	}

	/**
	 * The value of a JavaScript expression evaluated in the page (a promise is awaited), as JSON; an exception in
	 * the page fails the call with its description.
	 */
	public JsonNode evaluate(String expression) {
		JsonNode result = call("Runtime.evaluate",
				Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
		if (result.has("exceptionDetails")) {
			throw new IllegalStateException("evaluating " + expression + " failed: " + result);
		}
		return result.path("result").path("value");
	}

	/** Writes what the page shows now as a PNG (the DevTools protocol's {@code Page.captureScreenshot}). */
	public void screenshot(Path png) throws IOException {
		JsonNode result = call("Page.captureScreenshot", Map.of("format", "png"));
		Files.write(png, Base64.getDecoder().decode(result.path("data").asString()));
	}

	/** Sends one DevTools command and waits for its answer's {@code result}; an error answer fails the call. */
	private JsonNode call(String method, Map<String, Object> params) {
		int id = this.ids.incrementAndGet();
		CompletableFuture<JsonNode> answer = new CompletableFuture<>();
		this.pending.put(id, answer);
		String command = json.writeValueAsString(Map.of("id", id, "method", method, "params", params));
		this.socket.sendText(command, true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
		JsonNode message = answer.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
		if (message.has("error")) {
			throw new IllegalStateException(method + " failed: " + message);
		}
		return message.path("result");
	}

	/** Evaluates {@code condition} every 100 ms until it is {@code true}; fails after {@code timeout}. */
	public void await(String condition, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!evaluate(condition).asBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("not true in the page within " + timeout + ": " + condition);
			}
			Thread.sleep(100);
		}
	}

	@Override
	public void close() {
		try {
			this.socket.abort();
		}
		finally {
			this.stop.run();
		}
	}

	/** Receives DevTools messages, completing the pending command each answers (by id). */
	private static final class Listener implements WebSocket.Listener {

		private final Map<Integer, CompletableFuture<JsonNode>> pending;

		private final StringBuilder text = new StringBuilder();

		Listener(Map<Integer, CompletableFuture<JsonNode>> pending) {
			this.pending = pending;
		}

		@Override
		public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
			this.text.append(data);
			if (last) {
				JsonNode message = json.readTree(this.text.toString());
				this.text.setLength(0);
				if (message.has("id")) {
					CompletableFuture<JsonNode> answer = this.pending.remove(message.get("id").asInt());
					if (answer != null) {
						answer.complete(message);
					}
				}
			}
			socket.request(1);
			return null;
		}

	}

}
