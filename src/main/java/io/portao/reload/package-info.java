/**
 * Reload without a restart, as {@code nginx -s reload}: on a change of the configuration file, {@code SIGHUP} or
 * {@code POST /actuator/reload}, the new configuration is checked first (the {@code check} command, in a separate
 * process) and applied through Spring Cloud's refresh, or refused with the old one kept.
 */
package io.portao.reload;
