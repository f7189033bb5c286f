package io.portao.accesslog;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import io.portao.config.InvalidConfigurationException;

/**
 * The access log (nginx {@code access_log} with {@code log_format main} plus the upstream fields): one line per
 * request on the public port, written in batches by its own thread, never by an event loop.
 *
 * @param enabled Whether every request is logged (default true); {@code false} is nginx's {@code access_log off}.
 * @param path File the lines are appended to (created if missing; its directory must exist). Empty (the default):
 * standard output, the usual place in a container. The file is opened once: rotate it by copying and truncating
 * ({@code logrotate copytruncate}), or log to standard output and let the platform rotate.
 * @param buffer Lines are collected up to this size before one write (nginx {@code access_log ... buffer=}, 64KB).
 * @param flush Longest a line waits in the buffer before it is written (nginx {@code access_log ... flush=}, 1s).
 * The buffer is also written whenever no request came for a few milliseconds, so at low traffic lines appear at
 * once.
 */
@ConfigurationProperties(AccessLogProperties.PREFIX)
public record AccessLogProperties(@DefaultValue("true") boolean enabled, @DefaultValue("") String path,
		@DefaultValue("64KB") DataSize buffer, @DefaultValue("1s") Duration flush) {

	/** The prefix of these properties. */
	public static final String PREFIX = "portao.access-log";

	/** Smallest buffer: one long line (request line, user agent and referer at their usual limits) must fit. */
	static final DataSize MIN_BUFFER = DataSize.ofKilobytes(4);

	static final DataSize MAX_BUFFER = DataSize.ofMegabytes(16);

	public AccessLogProperties {
		path = (path != null) ? path.trim() : "";
		if (buffer == null || buffer.compareTo(MIN_BUFFER) < 0 || buffer.compareTo(MAX_BUFFER) > 0) {
			throw new InvalidConfigurationException(PREFIX + ".buffer", buffer, "between 4KB and 16MB, e.g. 64KB");
		}
		if (flush == null || flush.isZero() || flush.isNegative()) {
			throw new InvalidConfigurationException(PREFIX + ".flush", flush, "> 0, e.g. 1s");
		}
	}

	/** Whether the lines go to standard output rather than a file. */
	public boolean toStandardOutput() {
		return this.path.isEmpty();
	}

}
