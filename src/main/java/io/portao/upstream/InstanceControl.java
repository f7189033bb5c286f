package io.portao.upstream;

import java.util.Locale;

/**
 * An operator's setting for one instance at run time ({@code POST /actuator/upstreams/{upstream}/{instance}} on the
 * management port), like the NGINX Plus API's {@code drain}/{@code down} server fields or Envoy's admin
 * {@code /healthcheck/fail}: it wins over the instance's {@code down} metadata until it is set again.
 */
public enum InstanceControl {

	/** Balanced again, even if its metadata says {@code down: true} (a failed health check still takes it out). */
	UP,

	/** No new request; those in flight finish ({@link InstanceStatus#DRAINING}, then {@link InstanceStatus#DRAINED}). */
	DRAIN,

	/** No new request; those in flight finish too, but the instance reports {@link InstanceStatus#DOWN}. */
	DOWN;

	/** The setting named {@code value} in any case ({@code drain}, {@code down}, {@code up}), or {@code null}. */
	public static InstanceControl parse(String value) {
		if (value == null) {
			return null;
		}
		try {
			return valueOf(value.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
