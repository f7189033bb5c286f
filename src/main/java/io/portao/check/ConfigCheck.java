package io.portao.check;

import java.io.PrintStream;
import java.util.List;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;

/**
 * {@code java -jar portao.jar check [--spring.config.additional-location=...] [any Spring argument]}: validates a
 * configuration as start-up would, without binding a port, like {@code nginx -t}. Prints
 * {@code configuration ok}, or every problem found, one line each in start-up's
 * {@code property: value (expected: ...)} form; exit code 0 or 1.
 * <p>
 * The environment is prepared by {@link SpringApplication} itself (config data from
 * {@code spring.config.additional-location}, profiles, command-line arguments), so the check sees exactly the
 * properties a start with the same arguments would; the context it refreshes is a {@link CheckContext}.
 */
public final class ConfigCheck {

	static final String OK = "configuration ok";

	private final Class<?> primarySource;

	private CheckContext context;

	private ConfigCheck(Class<?> primarySource) {
		this.primarySource = primarySource;
	}

	/**
	 * Checks the configuration {@code args} name for the application whose primary source is {@code application},
	 * prints the result to {@code out}, returns the exit code. The application class is a parameter so that this
	 * package does not depend on the one that calls it.
	 */
	public static int run(Class<?> application, String[] args, PrintStream out) {
		List<String> problems = new ConfigCheck(application).problems(args);
		if (problems.isEmpty()) {
			out.println(OK);
			return 0;
		}
		problems.forEach(out::println);
		return 1;
	}

	private List<String> problems(String[] args) {
		SpringApplication application = new SpringApplication(this.primarySource);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		application.setRegisterShutdownHook(false);
		application.addListeners(new QuietLogging());
		application.setApplicationContextFactory(type -> {
			this.context = new CheckContext();
			return this.context;
		});
		try {
			application.run(args).close();
			return List.of(); // not reached: CheckContext always ends the refresh with CheckFinished
		}
		catch (CheckFinished finished) {
			return finished.problems();
		}
		catch (RuntimeException failure) {
			return List.of(FailureLines.describe(failure, this.context));
		}
	}

}
