/**
 * What an operator sees of each upstream and instance: the per-instance meters (tag {@code server}), the
 * {@code /actuator/upstreams} endpoint and its write operations (drain, down, up), the health component and the
 * status page.
 */
package io.portao.metrics;
