package io.portao.staticfiles;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.BeansException;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.web.server.adapter.HttpWebHandlerAdapter;

import io.portao.headers.TrustedProxies;

/**
 * Puts the {@link StaticFastLane} in front of the application's {@link HttpWebHandlerAdapter}, innermost of the
 * handler decorators (the access log wraps it). The management port's handler is left alone: the actuator's child
 * context sees this bean too, and files are never served there.
 */
final class StaticFastLaneDecorator implements HttpHandlerDecoratorFactory, Ordered, ApplicationContextAware {

	private static final Log logger = LogFactory.getLog(StaticFastLaneDecorator.class);

	private final String pattern;

	private final PlainFileResponder files;

	private final TrustedProxies trustedProxies;

	private ApplicationContext applicationContext;

	StaticFastLaneDecorator(String pattern, PlainFileResponder files, TrustedProxies trustedProxies) {
		this.pattern = pattern;
		this.files = files;
		this.trustedProxies = trustedProxies;
	}

	@Override
	public void setApplicationContext(ApplicationContext applicationContext) throws BeansException {
		this.applicationContext = applicationContext;
	}

	@Override
	public HttpHandler apply(HttpHandler handler) {
		if (handler instanceof HttpWebHandlerAdapter adapter && adapter.getApplicationContext() == this.applicationContext) {
			// A no-op registry records nothing, and the lane's observations record nothing either.
			LaneRequestTimer timer = adapter.getObservationRegistry().isNoop() ? null
					: LaneRequestTimer.create(this.applicationContext, this.applicationContext.getEnvironment(),
							adapter.getObservationConvention(), this.pattern);
			logger.debug("Static fast lane on " + this.pattern + "; http.server.requests recorded "
					+ ((timer != null) ? "on its timer directly" : "through an observation per request"));
			return new StaticFastLane(adapter, this.pattern, this.files, this.trustedProxies, timer);
		}
		return handler;
	}

	/** Applied first, so that it wraps the web handler adapter itself and every other decorator wraps it. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
