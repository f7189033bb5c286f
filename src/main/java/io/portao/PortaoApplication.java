package io.portao;

import java.util.Arrays;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import io.portao.check.ConfigCheck;
import io.portao.nginximport.ImportNginxCommand;

/**
 * Portão: a reactive edge gateway that replaces nginx in front of N instances of a web app.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PortaoApplication {

	/**
	 * Starts the gateway, or runs a subcommand named by the first argument (the rest are Spring arguments, e.g.
	 * {@code --spring.config.additional-location=...}, or the subcommand's own). One {@code case} per subcommand,
	 * so that each stays a line.
	 */
	public static void main(String[] args) {
		String[] rest = (args.length > 0) ? Arrays.copyOfRange(args, 1, args.length) : args;
		switch ((args.length > 0) ? args[0] : "") {
			case "check" -> System.exit(ConfigCheck.run(PortaoApplication.class, rest, System.out));
			case ImportNginxCommand.NAME -> System.exit(ImportNginxCommand.run(List.of(rest), System.out, System.err));
			default -> SpringApplication.run(PortaoApplication.class, args);
		}
	}

}
