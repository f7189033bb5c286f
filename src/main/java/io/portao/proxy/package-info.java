/**
 * The proxy lane: proxied {@code GET}s without a body on routes it can serve exactly, answered ahead of Spring's
 * HTTP adapter by the gateway path's own classes ({@code io.portao.proxy.UpstreamCall}); its routes compiled from
 * the gateway's route definitions, and why each route is or is not on it.
 */
package io.portao.proxy;
