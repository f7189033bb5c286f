package io.portao.reload;

import java.util.List;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.cloud.loadbalancer.cache.LoadBalancerCacheManager;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.portao.config.ManagementPortWrites;
import io.portao.config.ReloadableProperties;

/**
 * Reload without a restart ({@code portao.reload.*}): the reloader, its endpoint, and its two other triggers, the
 * configuration files' watch and {@code SIGHUP}, started once the application is ready.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "portao.reload.enabled", matchIfMissing = true)
class ReloadConfiguration {

	private static final Log logger = LogFactory.getLog(ReloadConfiguration.class);

	@Bean
	ConfigReloader configReloader(ReloadProperties properties, ApplicationArguments arguments,
			ObjectProvider<ContextRefresher> refresher, ApplicationContext context, ApplicationEventPublisher events,
			MeterRegistry meters, ObjectProvider<ReloadableProperties> reloadable) {
		// Spring Cloud LoadBalancer declares its cache manager with autowireCandidate = false (so that it never
		// becomes the application's CacheManager): an injected ObjectProvider never sees it. This is the lookup its
		// own ServiceInstanceListSupplierBuilder.withCaching() makes, which finds it.
		LoadBalancerCacheManager caches = context.getBeanProvider(LoadBalancerCacheManager.class).getIfAvailable();
		return new ConfigReloader(CheckProcess.forThisJvm(arguments.getSourceArgs(), properties.checkTimeout()),
				refresher.getIfAvailable(), caches, events, meters, reloadable.orderedStream().toList());
	}

	@Bean
	ReloadEndpoint reloadEndpoint(ConfigReloader reloader, Environment environment) {
		return new ReloadEndpoint(reloader, ManagementPortWrites.of(environment));
	}

	@Bean
	ReloadTriggers reloadTriggers(ConfigReloader reloader, ReloadProperties properties, Environment environment) {
		return new ReloadTriggers(reloader, properties, environment);
	}

	/** The file watch and the signal handler, started when the application is ready, stopped with the context. */
	static final class ReloadTriggers implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

		private final ConfigReloader reloader;

		private final ReloadProperties properties;

		private final Environment environment;

		/** Reloads asked by a signal or the watcher, one after the other, off the threads that noticed them. */
		private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
			Thread thread = new Thread(task, "portao-reload");
			thread.setDaemon(true);
			return thread;
		});

		private ConfigFileWatcher watcher;

		ReloadTriggers(ConfigReloader reloader, ReloadProperties properties, Environment environment) {
			this.reloader = reloader;
			this.properties = properties;
			this.environment = environment;
		}

		@Override
		public synchronized void onApplicationEvent(ApplicationReadyEvent event) {
			if (this.watcher != null) {
				return;
			}
			HangupSignal.install(() -> this.worker.execute(() -> this.reloader.reload("SIGHUP")));
			List<Path> files = ConfigFiles.of(this.environment);
			if (this.properties.watch() && !files.isEmpty()) {
				this.watcher = new ConfigFileWatcher(files, this.properties.pollInterval(),
						this.properties.quietPeriod(), () -> this.worker.execute(() -> this.reloader.reload("file")));
				this.watcher.start();
				logger.info("reload: watching " + files + "; SIGHUP and POST /actuator/reload reload too");
			}
		}

		@Override
		public synchronized void destroy() {
			if (this.watcher != null) {
				this.watcher.close();
			}
			this.worker.shutdownNow();
		}

	}

}
