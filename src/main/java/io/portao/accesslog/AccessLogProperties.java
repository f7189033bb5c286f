package io.portao.accesslog;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The access log (nginx {@code access_log} with {@code log_format main} plus the upstream fields): one line per
 * request through the logger {@code portao.access}, written by an asynchronous appender that never blocks the
 * event loop (see {@code logback-spring.xml}).
 *
 * @param enabled whether every request is logged (default true); {@code false} is nginx's {@code access_log off}
 */
@ConfigurationProperties(AccessLogProperties.PREFIX)
public record AccessLogProperties(@DefaultValue("true") boolean enabled) {

	/** The prefix of these properties. */
	public static final String PREFIX = "portao.access-log";

}
