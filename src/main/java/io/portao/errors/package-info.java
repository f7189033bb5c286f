/**
 * What the client gets when an upstream fails: {@code 502}, {@code 503} or {@code 504} with nginx's wording
 * ({@link io.portao.errors.UpstreamErrorHandler}, shared by the gateway path and the proxy lane), and the exception
 * that says no instance could take a request.
 */
package io.portao.errors;
