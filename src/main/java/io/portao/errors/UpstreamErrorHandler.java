package io.portao.errors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

import io.portao.upstream.UpstreamUnavailableException;

/**
 * Answers upstream faults as nginx does, with a short plain-text body instead of Spring's JSON error page:
 * 502 when no instance could be reached (Spring Cloud Gateway would answer 500, spring-cloud-gateway#4208),
 * 503 when an upstream has no instance at all, 504 when an instance did not answer in time.
 *
 * <p>Runs before Boot's {@code ErrorWebExceptionHandler} (order -1); anything that is not an upstream fault is
 * left to it.
 */
public class UpstreamErrorHandler implements WebExceptionHandler, Ordered {

	@Override
	public int getOrder() {
		return -2;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.error(error);
		}
		HttpStatusCode status = statusOf(exchange, error);
		if (status == null) {
			return Mono.error(error);
		}
		return write(response, status, detailOf(exchange, error));
	}

	private static HttpStatusCode statusOf(ServerWebExchange exchange, Throwable error) {
		if (error instanceof UpstreamUnavailableException) {
			return HttpStatus.BAD_GATEWAY;
		}
		if (error instanceof NotFoundException notFound) {
			return notFound.getStatusCode();
		}
		if (error instanceof ResponseStatusException rse && rse.getStatusCode().value() == 504) {
			return HttpStatus.GATEWAY_TIMEOUT;
		}
		// A plain http:// route (no balancer, so no failover) whose connection failed.
		if (error instanceof IOException && ServerWebExchangeUtils.isAlreadyRouted(exchange)) {
			return HttpStatus.BAD_GATEWAY;
		}
		return null;
	}

	private static String detailOf(ServerWebExchange exchange, Throwable error) {
		if (error instanceof ResponseStatusException rse && rse.getReason() != null) {
			return rse.getReason();
		}
		return error.getClass().getSimpleName();
	}

	private static Mono<Void> write(ServerHttpResponse response, HttpStatusCode status, String detail) {
		String reason = (status instanceof HttpStatus known) ? known.getReasonPhrase() : "";
		byte[] body = (status.value() + " " + reason + ": " + detail + "\n").getBytes(StandardCharsets.UTF_8);
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
		response.getHeaders().setContentLength(body.length);
		DataBuffer buffer = response.bufferFactory().wrap(body);
		return response.writeWith(Mono.just(buffer));
	}

}
