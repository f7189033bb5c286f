package io.portao;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Portão: a reactive edge gateway that replaces nginx in front of N instances of a web app.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PortaoApplication {

	public static void main(String[] args) {
		SpringApplication.run(PortaoApplication.class, args);
	}

}
