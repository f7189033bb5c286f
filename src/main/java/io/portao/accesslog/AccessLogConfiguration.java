package io.portao.accesslog;

import java.io.FileDescriptor;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.time.ZoneId;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;

import io.portao.config.InvalidConfigurationException;
import io.portao.stages.RequestStages;

/**
 * The access log, on unless {@code portao.access-log.enabled=false}. Every request to the public port gets one
 * line, static files and proxied requests alike.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = AccessLogProperties.PREFIX + ".enabled", matchIfMissing = true)
@Import({ AccessLogExchangeFilter.class, UpstreamAttemptLogFilter.class })
public class AccessLogConfiguration {

	/** Lines waiting for the writer; beyond it lines are dropped (counted) rather than blocking an event loop. */
	static final int QUEUE_CAPACITY = 8192;

	@Bean
	ManagementPort accessLogManagementPort() {
		return new ManagementPort();
	}

	/**
	 * Closed after the web server has stopped (context close stops the server's lifecycle before destroying
	 * beans), so the lines of the requests drained by a graceful shutdown are written too.
	 */
	@Bean(destroyMethod = "close")
	AccessLogWriter accessLogWriter(AccessLogProperties properties, ObjectProvider<MeterRegistry> registry) {
		AccessLogWriter writer = new AccessLogWriter(open(properties), !properties.toStandardOutput(), (int) properties.buffer().toBytes(),
				properties.flush().toNanos(), QUEUE_CAPACITY);
		registry.ifAvailable(meters -> FunctionCounter.builder("portao.access_log.dropped", writer, AccessLogWriter::dropped)
			.description("Access log lines dropped because the output could not keep up")
			.register(meters));
		return writer;
	}

	/**
	 * Spring applies this decorator to the management port's handler too (the child context sees the parent's
	 * beans): {@link ManagementPort} tells those requests apart, so that probes and scrapes are not logged.
	 * Ordered ahead of the other decorators, so that it wraps them. Requests served by a lane, ahead of Spring's
	 * handler, are logged by the lane through {@link AccessLog}.
	 */
	/** The lines of the web stack and of the lanes: one format, one writer. */
	@Bean
	AccessLog accessLog(AccessLogWriter writer) {
		return new AccessLog(new AccessLogFormat(ZoneId.systemDefault()), writer);
	}

	@Bean
	@Order(RequestStages.Handler.ACCESS_LOG)
	HttpHandlerDecoratorFactory accessLogHttpHandlerDecorator(ManagementPort managementPort, AccessLog log) {
		return handler -> new AccessLogHttpHandler(handler, log, managementPort);
	}

	private static OutputStream open(AccessLogProperties properties) {
		if (properties.toStandardOutput()) {
			// The process's stdout itself, not System.out: no PrintStream lock and no second buffer in between.
			return new FileOutputStream(FileDescriptor.out);
		}
		try {
			return new FileOutputStream(properties.path(), true);
		}
		catch (FileNotFoundException ex) {
			throw new InvalidConfigurationException(AccessLogProperties.PREFIX + ".path", properties.path(),
					"a file that can be created or appended to, in an existing directory (" + ex.getMessage() + ")");
		}
	}

}
