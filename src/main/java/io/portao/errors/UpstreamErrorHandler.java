package io.portao.errors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

import io.portao.stages.RequestStages;


/**
 * Answers upstream faults as nginx does, with a short plain-text body instead of Spring's JSON error page:
 * 502 when no instance could be reached (Spring Cloud Gateway would answer 500, spring-cloud-gateway#4208),
 * 503 when an upstream has no instance at all, 504 when an instance did not answer in time.
 *
 * <p>Runs before Boot's {@code ErrorWebExceptionHandler} (order -1); anything that is not an upstream fault is
 * left to it, except that an error after the response was committed always aborts the response.
 */
public class UpstreamErrorHandler implements WebExceptionHandler, Ordered {

	private static final Log logger = LogFactory.getLog(UpstreamErrorHandler.class);

	@Override
	public int getOrder() {
		return RequestStages.Response.UPSTREAM_ERRORS;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return abort(exchange, error);
		}
		Answer answer = answer(error, ServerWebExchangeUtils.isAlreadyRouted(exchange));
		if (answer == null) {
			return Mono.error(error);
		}
		response.setStatusCode(HttpStatusCode.valueOf(answer.status()));
		response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
		response.getHeaders().setContentLength(answer.body().length);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(answer.body())));
	}

	/**
	 * The answer to an upstream fault, or {@code null} when {@code error} is not one. {@code routed}: the request
	 * was already on its way to an instance (Spring Cloud Gateway's {@code isAlreadyRouted}). Shared with the proxy
	 * lane, which writes the same status, {@code Content-Type: text/plain} and body.
	 */
	public static Answer answer(Throwable error, boolean routed) {
		HttpStatusCode status = statusOf(error, routed);
		if (status == null) {
			return null;
		}
		String reason = (status instanceof HttpStatus known) ? known.getReasonPhrase() : "";
		byte[] body = (status.value() + " " + reason + ": " + detailOf(error) + "\n").getBytes(StandardCharsets.UTF_8);
		return new Answer(status.value(), body);
	}

	/** A status and a plain-text body. */
	public record Answer(int status, byte[] body) {

	}

	/**
	 * The status line is gone, so the only honest answer left is to cut the stream: close the HTTP/1.1 connection
	 * before the terminating chunk (or short of {@code Content-Length}), or reset the HTTP/2 stream, as nginx does
	 * when an upstream dies mid-body. Left alone, WebFlux would treat the error like a client disconnect and end the
	 * response cleanly, handing the client a truncated body as if it were whole.
	 */
	private static Mono<Void> abort(ServerWebExchange exchange, Throwable error) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
		if (!(nativeRequest instanceof Connection connection)) {
			return Mono.error(error);
		}
		logger.warn("aborting response to " + exchange.getRequest().getMethod() + " "
				+ exchange.getRequest().getURI().getRawPath() + " after it started: " + error);
		connection.channel().close();
		return Mono.empty();
	}

	private static HttpStatusCode statusOf(Throwable error, boolean routed) {
		if (error instanceof UpstreamUnavailableException) {
			return HttpStatus.BAD_GATEWAY;
		}
		if (error instanceof NotFoundException notFound) {
			return notFound.getStatusCode();
		}
		if (GatewayTimeout.is(error)) {
			return HttpStatus.GATEWAY_TIMEOUT;
		}
		// A plain http:// route (no balancer, so no failover) whose connection failed, or an instance whose answer
		// Netty could not decode (garbage status line, conflicting Content-Length: IllegalArgumentException, not
		// an IOException): nginx's "upstream sent invalid header" 502, not Spring's 500.
		if (routed && (error instanceof IOException || error instanceof IllegalArgumentException)) {
			return HttpStatus.BAD_GATEWAY;
		}
		return null;
	}

	private static String detailOf(Throwable error) {
		if (error instanceof ResponseStatusException rse && rse.getReason() != null) {
			return rse.getReason();
		}
		return error.getClass().getSimpleName();
	}

}
