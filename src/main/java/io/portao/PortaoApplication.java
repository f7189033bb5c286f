package io.portao;

import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import io.portao.nginximport.ImportNginxCommand;

/**
 * Portão: a reactive edge gateway that replaces nginx in front of N instances of a web app.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PortaoApplication {

	public static void main(String[] args) {
		if (args.length > 0) {
			// Subcommands of the same jar; anything else starts the gateway.
			switch (args[0]) {
				case ImportNginxCommand.NAME -> System.exit(ImportNginxCommand.run(List.of(args).subList(1, args.length),
						System.out, System.err));
				default -> {
				}
			}
		}
		SpringApplication.run(PortaoApplication.class, args);
	}

}
