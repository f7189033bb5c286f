package io.portao.upstream;

/**
 * Whether an instance takes part in balancing: {@link #UP}, left out after failures ({@link #EJECTED}, passive,
 * nginx {@code max_fails}/{@code fail_timeout}) or found dead by an active health check ({@link #DOWN}).
 */
public enum InstanceStatus {

	UP, EJECTED, DOWN

}
