/**
 * Active health checks (NGINX Plus {@code health_check}): probing each instance of an upstream whose
 * {@code health-check.enabled} is true, and handing the results to the instance's state
 * ({@code upstream.InstanceState}), which decides what a probe's result means for choosing it. The settings
 * ({@code HealthCheckProperties}) are part of each upstream's properties.
 */
package io.portao.upstream.health;
